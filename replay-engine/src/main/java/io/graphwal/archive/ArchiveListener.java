package io.graphwal.archive;

/**
 * Observes the archiver, so metrics can be bound without the engine depending on a metrics library. Methods
 * run on the archiver's thread; they must be quick and must not throw.
 */
public interface ArchiveListener {

    /** A listener that ignores everything. */
    ArchiveListener NONE = new ArchiveListener() {
    };

    /**
     * Returns one listener that hands every event to each of {@code listeners} in order.
     *
     * @param listeners the listeners, possibly none
     * @return {@link #NONE}, the only listener, or one calling them all
     */
    static ArchiveListener all(java.util.List<ArchiveListener> listeners) {
        if (listeners.isEmpty()) {
            return NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        java.util.List<ArchiveListener> copy = java.util.List.copyOf(listeners);
        // Every method is forwarded here, beside the interface, so one added later is added here too.
        return new ArchiveListener() {
            @Override
            public void uploaded(String kind, long bytes) {
                copy.forEach(listener -> listener.uploaded(kind, bytes));
            }

            @Override
            public void failed(Throwable cause) {
                copy.forEach(listener -> listener.failed(cause));
            }
        };
    }

    /**
     * An object was stored.
     *
     * @param kind {@code segment}, {@code tail} or {@code snapshot}
     * @param bytes its size
     */
    default void uploaded(String kind, long bytes) {
    }

    /**
     * An attempt failed (it will be retried).
     *
     * @param cause the failure
     */
    default void failed(Throwable cause) {
    }
}
