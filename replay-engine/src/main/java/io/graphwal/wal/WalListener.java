package io.graphwal.wal;

/**
 * Observes the log's work, so metrics can be bound without this module depending on a metrics library.
 *
 * <p>Methods run on the thread doing the work, some of them on the append path: they must be quick and
 * must not throw or call back into the log.
 */
public interface WalListener {

    /** A listener that ignores everything. */
    WalListener NONE = new WalListener() {
    };

    /**
     * Returns one listener that hands every event to each of {@code listeners} in order.
     *
     * @param listeners the listeners, possibly none
     * @return {@link #NONE}, the only listener, or a listener calling them all
     */
    static WalListener all(java.util.List<WalListener> listeners) {
        if (listeners.isEmpty()) {
            return NONE;
        }
        return listeners.size() == 1 ? listeners.get(0) : new CompositeWalListener(listeners);
    }

    /**
     * A record was written to the operating system.
     *
     * @param lsn its LSN
     * @param bytes its size on disk, header included
     */
    default void appended(long lsn, int bytes) {
    }

    /**
     * An fsync completed and made records durable.
     *
     * @param durationNanos how long the fsync took
     * @param records how many records it made durable (the batch size)
     */
    default void synced(long durationNanos, long records) {
    }

    /**
     * A transaction committed through the graph: its record was written and, in {@code per-commit} mode,
     * fsynced. Called on the committing thread after the graph's locks are released.
     *
     * @param lsn the transaction's LSN
     * @param syncMode the log's mode, which decides what the commit waited for
     * @param durationNanos how long the commit call took, the transaction's own work included
     */
    default void committed(long lsn, SyncMode syncMode, long durationNanos) {
    }

    /**
     * The log was poisoned by a failed write or fsync.
     *
     * @param poison the failure
     */
    default void poisoned(WalPoison poison) {
    }
}
