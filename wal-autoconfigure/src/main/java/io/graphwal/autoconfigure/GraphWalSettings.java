package io.graphwal.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.util.unit.DataSize;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.wal.InvalidSettingException;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;

/**
 * Turns bound {@link GraphWalProperties} into the engine's configuration. The engine checks every value (its
 * rules live in one place, {@link WalConfig} and {@link DatabaseConfig}); a value it refuses is reported here
 * under its property key, with the value as the user wrote it.
 */
final class GraphWalSettings {

    /** Each engine setting's property key; the engine's explanations name settings by these engine names. */
    private static final Map<String, String> KEYS = Map.of(
            "groupInterval", "graphwal.wal.group-interval",
            "segmentSize", "graphwal.wal.segment-size",
            "maxRecordSize", "graphwal.wal.max-record-size",
            "snapshotEveryRecords", "graphwal.snapshot.every-records",
            "snapshotRetain", "graphwal.snapshot.retain");

    private GraphWalSettings() {
    }

    /**
     * Checks the properties and builds the configuration.
     *
     * @param written what the user wrote for a key, if anything, so errors quote it rather than the bound form
     */
    static DatabaseConfig toDatabaseConfig(GraphWalProperties properties, List<WalListener> listeners,
            Function<String, String> written) {
        String directory = properties.getDirectory();
        if (directory == null || directory.isBlank()) {
            throw invalid(written, "graphwal.directory", directory, "a directory path, such as ./data/graphwal");
        }
        GraphWalProperties.Wal wal = properties.getWal();
        GraphWalProperties.Snapshot snapshot = properties.getSnapshot();
        try {
            WalConfig walConfig = WalConfig.builder(Path.of(directory))
                    .syncMode(wal.getSyncMode())
                    .groupInterval(wal.getGroupInterval())
                    .segmentSize(bytes(wal.getSegmentSize()))
                    .maxRecordSize((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                            bytes(wal.getMaxRecordSize()))))
                    .preallocate(wal.isPreallocate())
                    .tornTail(properties.getRecovery().getTornTail())
                    .listener(WalListener.all(listeners))
                    .build();
            return new DatabaseConfig(walConfig, snapshot.getEveryRecords(), snapshot.getRetain());
        } catch (InvalidSettingException e) {
            String key = KEYS.get(e.setting());
            if (key == null) {
                throw e;
            }
            String allowed = e.allowed();
            for (Map.Entry<String, String> setting : KEYS.entrySet()) {
                allowed = allowed.replace(setting.getKey(), setting.getValue());
            }
            throw invalid(written, key, e.value(), allowed);
        }
    }

    /** A size in bytes, or -1 for none, which the engine refuses as it refuses any size below 1. */
    private static long bytes(DataSize size) {
        return size == null ? -1 : size.toBytes();
    }

    private static InvalidGraphWalPropertyException invalid(Function<String, String> written, String key,
            Object bound, String allowed) {
        String raw = written.apply(key);
        return new InvalidGraphWalPropertyException(key, raw != null ? raw : bound, allowed);
    }
}
