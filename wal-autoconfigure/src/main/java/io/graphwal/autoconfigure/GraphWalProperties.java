package io.graphwal.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.graphwal.wal.SyncMode;
import io.graphwal.wal.TornTailPolicy;

/**
 * Configuration properties for GraphWAL, bound from {@code graphwal.*}.
 */
@ConfigurationProperties("graphwal")
public class GraphWalProperties {

    /**
     * Whether to enable GraphWAL: the replayed graph, its write-ahead log, and their endpoints and metrics.
     */
    private boolean enabled = true;

    /**
     * Directory for WAL segments, snapshots and the lock file. Created if missing; must not be a symbolic link.
     */
    private String directory = "./data/graphwal";

    private final Wal wal = new Wal();

    private final Recovery recovery = new Recovery();

    private final Snapshot snapshot = new Snapshot();

    private final Archive archive = new Archive();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }

    public Wal getWal() {
        return wal;
    }

    public Recovery getRecovery() {
        return recovery;
    }

    public Snapshot getSnapshot() {
        return snapshot;
    }

    public Archive getArchive() {
        return archive;
    }

    /** Write-ahead log settings. */
    public static class Wal {

        /**
         * When commits are fsynced: 'per-commit' (a commit returns once fsynced), 'group' (a background flusher
         * fsyncs every group-interval) or 'none' (fsync only on flush, rollover, checkpoint and shutdown).
         */
        private SyncMode syncMode = SyncMode.GROUP;

        /**
         * Flusher period in 'group' mode: the longest a power failure can take acknowledged commits back.
         */
        private Duration groupInterval = Duration.ofMillis(10);

        /**
         * Size at which a new WAL segment file is started.
         */
        private DataSize segmentSize = DataSize.ofMegabytes(64);

        /**
         * Largest transaction, encoded; a larger one is refused with a clear error and nothing is logged.
         */
        private DataSize maxRecordSize = DataSize.ofMegabytes(16);

        /**
         * Whether the active segment is zero-filled ahead of its records: in 'per-commit' mode so that fsyncs
         * overwrite allocated blocks instead of growing the file, in 'group' and 'none' (on Linux) so that it can
         * be written through a memory mapping with its blocks reserved. Turn off only on copy-on-write
         * filesystems (btrfs, ZFS).
         */
        private boolean preallocate = true;

        public SyncMode getSyncMode() {
            return syncMode;
        }

        public void setSyncMode(SyncMode syncMode) {
            this.syncMode = syncMode;
        }

        public Duration getGroupInterval() {
            return groupInterval;
        }

        public void setGroupInterval(Duration groupInterval) {
            this.groupInterval = groupInterval;
        }

        public DataSize getSegmentSize() {
            return segmentSize;
        }

        public void setSegmentSize(DataSize segmentSize) {
            this.segmentSize = segmentSize;
        }

        public DataSize getMaxRecordSize() {
            return maxRecordSize;
        }

        public void setMaxRecordSize(DataSize maxRecordSize) {
            this.maxRecordSize = maxRecordSize;
        }

        public boolean isPreallocate() {
            return preallocate;
        }

        public void setPreallocate(boolean preallocate) {
            this.preallocate = preallocate;
        }
    }

    /** Recovery settings. */
    public static class Recovery {

        /**
         * What to do with a torn tail (an incomplete last write that was never durable): 'truncate' cuts it off
         * and reports it; 'fail' refuses to start so an operator can look first.
         */
        private TornTailPolicy tornTail = TornTailPolicy.TRUNCATE;

        public TornTailPolicy getTornTail() {
            return tornTail;
        }

        public void setTornTail(TornTailPolicy tornTail) {
            this.tornTail = tornTail;
        }
    }

    /** Snapshot (checkpoint) settings. */
    public static class Snapshot {

        /**
         * Committed transactions between automatic checkpoints; 0 turns automatic checkpoints off.
         */
        private long everyRecords = 1_000_000;

        /**
         * How many snapshots to keep; the log is purged only behind the oldest one kept.
         */
        private int retain = 2;

        public long getEveryRecords() {
            return everyRecords;
        }

        public void setEveryRecords(long everyRecords) {
            this.everyRecords = everyRecords;
        }

        public int getRetain() {
            return retain;
        }

        public void setRetain(int retain) {
            this.retain = retain;
        }
    }

    /**
     * Continuous archive of the log and snapshots, for restore after the loss of the disk. Off unless a target
     * is set: this directory, or an S3 bucket ({@code graphwal.archive.s3.*}, module {@code wal-archive-s3}).
     */
    public static class Archive {

        /**
         * Archive into this directory (another disk or a network mount). Not together with an S3 bucket.
         */
        private String directory;

        /**
         * The durable tail of the log is archived at least this often: the most a lost disk can cost. From
         * 10ms to 1h.
         */
        private Duration maxLag = Duration.ofSeconds(1);

        /**
         * The archive keeps what restoring any point of this window needs and deletes the rest. At least 1m.
         */
        private Duration retention = Duration.ofDays(7);

        /**
         * At startup, when the directory holds no segment and no snapshot, first restore the newest state from
         * the archive (a pod rescheduled onto an empty volume comes back by itself).
         */
        private boolean restoreIfEmpty = false;

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }

        public Duration getMaxLag() {
            return maxLag;
        }

        public void setMaxLag(Duration maxLag) {
            this.maxLag = maxLag;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public boolean isRestoreIfEmpty() {
            return restoreIfEmpty;
        }

        public void setRestoreIfEmpty(boolean restoreIfEmpty) {
            this.restoreIfEmpty = restoreIfEmpty;
        }
    }
}
