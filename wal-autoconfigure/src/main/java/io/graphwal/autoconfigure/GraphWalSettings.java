package io.graphwal.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;

/**
 * Turns bound {@link GraphWalProperties} into the engine's configuration, checking every value first so that
 * a bad one is reported by its property name rather than by an engine exception.
 */
final class GraphWalSettings {

    /** Record and segment headers: a segment must hold one largest record besides them. */
    private static final long HEADER_BYTES = 45;
    private static final long MAX_RECORD_SIZE_LIMIT = Integer.MAX_VALUE - 64;

    private GraphWalSettings() {
    }

    /**
     * Checks the properties and builds the configuration.
     *
     * @param written what the user wrote for a key, if anything, so errors quote it rather than the bound form
     */
    static DatabaseConfig toDatabaseConfig(GraphWalProperties properties, List<WalListener> listeners,
            Function<String, String> written) {
        Invalid invalid = (key, bound, allowed) -> {
            String raw = written.apply(key);
            return new InvalidGraphWalPropertyException(key, raw != null ? raw : bound, allowed);
        };
        String directory = properties.getDirectory();
        if (directory == null || directory.isBlank()) {
            throw invalid.of("graphwal.directory", directory,
                    "a directory path, such as ./data/graphwal");
        }
        GraphWalProperties.Wal wal = properties.getWal();
        Duration interval = wal.getGroupInterval();
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw invalid.of("graphwal.wal.group-interval", interval,
                    "a positive duration, such as 10ms");
        }
        long maxRecord = wal.getMaxRecordSize() == null ? -1 : wal.getMaxRecordSize().toBytes();
        if (maxRecord < 1 || maxRecord > MAX_RECORD_SIZE_LIMIT) {
            throw invalid.of("graphwal.wal.max-record-size", wal.getMaxRecordSize(),
                    "between 1B and " + MAX_RECORD_SIZE_LIMIT + "B, such as 16MB");
        }
        long segment = wal.getSegmentSize() == null ? -1 : wal.getSegmentSize().toBytes();
        if (segment < maxRecord + HEADER_BYTES) {
            throw invalid.of("graphwal.wal.segment-size", wal.getSegmentSize(),
                    "at least graphwal.wal.max-record-size plus " + HEADER_BYTES + " bytes of headers ("
                            + (maxRecord + HEADER_BYTES) + "B), such as 64MB");
        }
        GraphWalProperties.Snapshot snapshot = properties.getSnapshot();
        if (snapshot.getEveryRecords() < 0) {
            throw invalid.of("graphwal.snapshot.every-records", snapshot.getEveryRecords(),
                    "0 (automatic checkpoints off) or a positive number of committed transactions");
        }
        if (snapshot.getRetain() < 1) {
            throw invalid.of("graphwal.snapshot.retain", snapshot.getRetain(),
                    "at least 1");
        }
        WalConfig walConfig = WalConfig.builder(Path.of(directory))
                .syncMode(wal.getSyncMode())
                .groupInterval(interval)
                .segmentSize(segment)
                .maxRecordSize((int) maxRecord)
                .preallocate(wal.isPreallocate())
                .tornTail(properties.getRecovery().getTornTail())
                .listener(compose(listeners))
                .build();
        return new DatabaseConfig(walConfig, snapshot.getEveryRecords(), snapshot.getRetain());
    }

    /** Builds the exception for a key, its bound value and what is allowed. */
    private interface Invalid {
        InvalidGraphWalPropertyException of(String key, Object bound, String allowed);
    }

    private static WalListener compose(List<WalListener> listeners) {
        if (listeners.isEmpty()) {
            return WalListener.NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<WalListener> all = List.copyOf(listeners);
        return new WalListener() {
            @Override
            public void appended(long lsn, int bytes) {
                for (WalListener listener : all) {
                    listener.appended(lsn, bytes);
                }
            }

            @Override
            public void synced(long durationNanos, long records) {
                for (WalListener listener : all) {
                    listener.synced(durationNanos, records);
                }
            }

            @Override
            public void committed(long lsn, io.graphwal.wal.SyncMode syncMode, long durationNanos) {
                for (WalListener listener : all) {
                    listener.committed(lsn, syncMode, durationNanos);
                }
            }

            @Override
            public void poisoned(io.graphwal.wal.WalPoison poison) {
                for (WalListener listener : all) {
                    listener.poisoned(poison);
                }
            }
        };
    }
}
