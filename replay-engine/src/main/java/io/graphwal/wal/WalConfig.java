package io.graphwal.wal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.graphwal.io.FileIO;

/**
 * Everything {@link LogWriter#open(WalConfig)} needs. Defaults match the documented configuration
 * defaults; {@link #builder(Path)} starts from them.
 *
 * @param directory where segments and the lock file live
 * @param syncMode when to fsync
 * @param groupInterval the flusher's period in {@link SyncMode#GROUP} mode
 * @param segmentSize the size at which a new segment is started, in bytes
 * @param maxRecordSize the largest payload accepted, in bytes
 * @param tornTail what recovery does with a torn tail
 * @param preallocate whether the active segment is zero-filled ahead of its records, so that an fsync in
 *     {@link SyncMode#PER_COMMIT} overwrites allocated blocks instead of growing the file, and so that in the
 *     other modes, on Linux, the segment can be written through a memory mapping with its blocks reserved
 *     (off only for copy-on-write filesystems such as btrfs or ZFS, which allocate anew on every overwrite:
 *     zero-filling buys nothing there and a full disk could fault a mapped write)
 * @param fileIO the file-system layer (tests inject faults here)
 * @param listener observer of appends and fsyncs
 */
public record WalConfig(
        Path directory,
        SyncMode syncMode,
        Duration groupInterval,
        long segmentSize,
        int maxRecordSize,
        TornTailPolicy tornTail,
        boolean preallocate,
        FileIO fileIO,
        WalListener listener) {

    /** Default segment size: 64 MiB. */
    public static final long DEFAULT_SEGMENT_SIZE = 64L * 1024 * 1024;
    /** Default maximum record size: 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 16 * 1024 * 1024;
    /** Default group-sync interval: 10 ms. */
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMillis(10);

    /** The most a single payload may be, so that a record's size still fits in an int with its header. */
    public static final int MAX_RECORD_SIZE_LIMIT = Integer.MAX_VALUE - 64;

    /**
     * Validates every field, naming the one that is wrong and what is allowed.
     *
     * @throws InvalidSettingException if a value is out of range
     */
    public WalConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(syncMode, "syncMode");
        Objects.requireNonNull(tornTail, "tornTail");
        Objects.requireNonNull(fileIO, "fileIO");
        Objects.requireNonNull(listener, "listener");
        if (groupInterval == null || groupInterval.isNegative() || groupInterval.isZero()) {
            throw new InvalidSettingException("groupInterval", groupInterval, "a positive duration");
        }
        if (maxRecordSize < 1 || maxRecordSize > MAX_RECORD_SIZE_LIMIT) {
            throw new InvalidSettingException("maxRecordSize", maxRecordSize, "between 1 and " + MAX_RECORD_SIZE_LIMIT
                    + " bytes");
        }
        long headers = WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_HEADER_SIZE;
        if (segmentSize < headers + maxRecordSize) {
            throw new InvalidSettingException("segmentSize", segmentSize, "large enough for the largest record: "
                    + "at least maxRecordSize plus " + headers + " bytes of headers (" + (headers + maxRecordSize)
                    + " bytes)");
        }
    }

    /**
     * Starts a builder with every default set.
     *
     * @param directory where the log lives
     * @return a builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Builds a {@link WalConfig}; every setter returns the builder. */
    public static final class Builder {
        private final Path directory;
        private SyncMode syncMode = SyncMode.GROUP;
        private Duration groupInterval = DEFAULT_GROUP_INTERVAL;
        private long segmentSize = DEFAULT_SEGMENT_SIZE;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private TornTailPolicy tornTail = TornTailPolicy.TRUNCATE;
        private boolean preallocate = true;
        private FileIO fileIO = FileIO.standard();
        private WalListener listener = WalListener.NONE;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /**
         * Sets the sync mode.
         *
         * @param value the mode
         * @return this builder
         */
        public Builder syncMode(SyncMode value) {
            this.syncMode = value;
            return this;
        }

        /**
         * Sets the flusher period for {@link SyncMode#GROUP}.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder groupInterval(Duration value) {
            this.groupInterval = value;
            return this;
        }

        /**
         * Sets the segment rollover size.
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder segmentSize(long bytes) {
            this.segmentSize = bytes;
            return this;
        }

        /**
         * Sets the largest accepted payload.
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder maxRecordSize(int bytes) {
            this.maxRecordSize = bytes;
            return this;
        }

        /**
         * Sets the torn-tail policy.
         *
         * @param value the policy
         * @return this builder
         */
        public Builder tornTail(TornTailPolicy value) {
            this.tornTail = value;
            return this;
        }

        /**
         * Sets whether the active segment is zero-filled ahead of its records (default: on). In
         * {@link SyncMode#PER_COMMIT} that makes fsyncs overwrite allocated blocks; in the other modes, on Linux,
         * it lets the segment be written through a memory mapping. Turn it off on copy-on-write filesystems.
         *
         * @param value false to let every record grow the file through a system call
         * @return this builder
         */
        public Builder preallocate(boolean value) {
            this.preallocate = value;
            return this;
        }

        /**
         * Sets the file-system layer.
         *
         * @param value the layer
         * @return this builder
         */
        public Builder fileIO(FileIO value) {
            this.fileIO = value;
            return this;
        }

        /**
         * Sets the listener.
         *
         * @param value the listener
         * @return this builder
         */
        public Builder listener(WalListener value) {
            this.listener = value;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the invalid field
         */
        public WalConfig build() {
            return new WalConfig(directory, syncMode, groupInterval, segmentSize, maxRecordSize, tornTail, preallocate,
                    fileIO, listener);
        }
    }
}
