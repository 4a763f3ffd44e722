package io.graphwal.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.util.unit.DataSize;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveListener;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.DirectoryArchiveTarget;
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
            "snapshotRetain", "graphwal.snapshot.retain",
            "maxLag", "graphwal.archive.max-lag",
            "retention", "graphwal.archive.retention",
            "restoreIfEmpty", "graphwal.archive.restore-if-empty");

    static final String S3_BUCKET = "graphwal.archive.s3.bucket";

    private GraphWalSettings() {
    }

    /**
     * Checks the properties and builds the configuration.
     *
     * @param written what the user wrote for a key, if anything, so errors quote it rather than the bound form
     */
    static DatabaseConfig toDatabaseConfig(GraphWalProperties properties, List<WalListener> listeners,
            Function<String, String> written) {
        return toDatabaseConfig(properties, listeners, written, null, ArchiveListener.NONE);
    }

    /**
     * Checks the properties and builds the configuration, with the archive target a module contributed.
     *
     * @param contributed an archive target bean (the S3 one), or null
     * @param archiveListener told of uploads and failures
     */
    static DatabaseConfig toDatabaseConfig(GraphWalProperties properties, List<WalListener> listeners,
            Function<String, String> written, ArchiveTarget contributed, ArchiveListener archiveListener) {
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
            DatabaseConfig database = new DatabaseConfig(walConfig, snapshot.getEveryRecords(), snapshot.getRetain());
            GraphWalProperties.Archive archive = properties.getArchive();
            ArchiveTarget target = archiveTarget(archive, written, contributed);
            if (target == null) {
                if (archive.isRestoreIfEmpty()) {
                    throw invalid(written, "graphwal.archive.restore-if-empty", true,
                            "false unless an archive is configured (graphwal.archive.directory or "
                                    + S3_BUCKET + ")");
                }
                return database;
            }
            return database.withArchive(new ArchiveConfig(target, archive.getMaxLag(), archive.getRetention(),
                    archiveListener, java.time.Clock.systemUTC()), archive.isRestoreIfEmpty());
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

    /** The configured archive target, or null when none is; both at once is refused. */
    private static ArchiveTarget archiveTarget(GraphWalProperties.Archive archive, Function<String, String> written,
            ArchiveTarget contributed) {
        String directory = archive.getDirectory();
        String bucket = written.apply(S3_BUCKET);
        boolean hasDirectory = directory != null && !directory.isBlank();
        boolean hasBucket = bucket != null && !bucket.isBlank();
        if (hasDirectory && hasBucket) {
            throw invalid(written, "graphwal.archive.directory", directory, "unset while " + S3_BUCKET + " is set: "
                    + "an archive has one target, so choose the directory or the bucket");
        }
        if (hasDirectory) {
            return new DirectoryArchiveTarget(Path.of(directory));
        }
        if (hasBucket && contributed == null) {
            throw invalid(written, S3_BUCKET, bucket, "set only with the wal-archive-s3 module on the class path "
                    + "(add the io.graphwal:wal-archive-s3 dependency), which archives to S3");
        }
        return contributed;
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
