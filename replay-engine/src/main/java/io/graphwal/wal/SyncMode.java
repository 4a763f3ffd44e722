package io.graphwal.wal;

/** When the log fsyncs, and so how much an acknowledged append can lose on power failure. */
public enum SyncMode {
    /**
     * An append returns only once its record is fsynced. Appenders that arrive while an fsync is running
     * share the next one (leader/follower group commit). Loses nothing acknowledged.
     */
    PER_COMMIT,
    /**
     * An append returns once its record is written to the operating system; a background flusher fsyncs
     * every group interval. A power failure loses at most about one interval of acknowledged appends; a
     * process crash loses none.
     */
    GROUP,
    /**
     * An append returns once written to the operating system; fsync happens only on explicit flush,
     * segment rollover and close. A power failure can lose everything since the last of those.
     */
    NONE
}
