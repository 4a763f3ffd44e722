package io.graphwal.replay;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.graphwal.graph.MutationCodec;
import io.graphwal.graph.TransactionLog;
import io.graphwal.wal.LogWriter;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalPoison;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WriteAheadLog;

/**
 * The graph's transaction log as the write-ahead log provides it: each transaction one record of type
 * {@link MutationCodec#TRANSACTION_RECORD}, visible only once durable in {@link SyncMode#PER_COMMIT}, refused
 * with {@link WalPoisonedException} once the log is poisoned, and a failed apply poisoning it.
 */
final class LoggedTransactions implements TransactionLog {

    private final LogWriter writer;
    private final WriteAheadLog log;

    LoggedTransactions(LogWriter writer) {
        this.writer = writer;
        this.log = writer.log();
    }

    @Override
    public boolean visibleOnlyWhenDurable() {
        return log.config().syncMode() == SyncMode.PER_COMMIT;
    }

    @Override
    public void checkWritable() {
        WalPoison poison = log.poison();
        if (poison != null) {
            throw new WalPoisonedException(poison);
        }
    }

    @Override
    public long write(ByteBuffer transaction) {
        return writer.write(MutationCodec.TRANSACTION_RECORD, transaction);
    }

    @Override
    public void awaitDurable(long lsn) {
        log.awaitDurable(lsn);
    }

    @Override
    public long durableLsn() {
        return log.durableLsn();
    }

    @Override
    public CompletableFuture<Long> durable(long lsn) {
        return log.durable(lsn);
    }

    @Override
    public void fail(String operation, Throwable cause) {
        writer.poison(operation, cause);
    }
}
