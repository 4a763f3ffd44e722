package io.graphwal.replay;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.graph.GraphStore;
import io.graphwal.graph.MalformedDataException;
import io.graphwal.graph.MutationCodec;
import io.graphwal.wal.WalReader;

/**
 * The replay loop: decode each WAL record and apply it to a store, in LSN order. Opening a database and the
 * {@code wal} tool's {@code verify} both rebuild graphs with it, so they accept and refuse the same records.
 */
public final class Replay {

    private static final Logger log = LoggerFactory.getLogger(Replay.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private Replay() {
    }

    /**
     * Applies every record {@code reader} yields to {@code store}, logging progress every few seconds.
     *
     * @param store the store to rebuild; its applied LSN must be just below the reader's first record
     * @param reader the records
     * @param targetLsn the last LSN expected, for progress messages
     * @return how many records were applied
     * @throws ReplayException naming the LSN of a record that has an unknown type, does not decode or does
     *     not apply
     */
    public static long apply(GraphStore store, WalReader reader, long targetLsn) {
        long replayed = 0;
        long lastProgress = System.nanoTime();
        while (reader.next()) {
            long lsn = reader.lsn();
            if (reader.type() != MutationCodec.TRANSACTION_RECORD) {
                throw new ReplayException(lsn, "has type " + reader.type()
                        + ", which this version of GraphWAL does not know", null);
            }
            try {
                store.apply(lsn, reader.payload());
            } catch (MalformedDataException e) {
                throw new ReplayException(lsn, "does not decode: " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new ReplayException(lsn, "does not apply to the graph rebuilt before it: " + e.getMessage(), e);
            }
            replayed++;
            if ((replayed & 0xFFF) == 0 && System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
                lastProgress = System.nanoTime();
                log.info("GraphWAL replay: LSN {} of {} ({} records so far)", lsn, targetLsn, replayed);
            }
        }
        return replayed;
    }
}
