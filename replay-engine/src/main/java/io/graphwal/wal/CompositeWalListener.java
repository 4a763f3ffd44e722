package io.graphwal.wal;

import java.util.List;

/**
 * Hands every event to each of several listeners, in order. It overrides every method of {@link WalListener}
 * (a test checks that by reflection), so a method added to the interface cannot be dropped silently once an
 * application has more than one listener.
 */
final class CompositeWalListener implements WalListener {

    private final List<WalListener> listeners;

    CompositeWalListener(List<WalListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void appended(long lsn, int bytes) {
        for (WalListener listener : listeners) {
            listener.appended(lsn, bytes);
        }
    }

    @Override
    public void synced(long durationNanos, long records) {
        for (WalListener listener : listeners) {
            listener.synced(durationNanos, records);
        }
    }

    @Override
    public void committed(long lsn, SyncMode syncMode, long durationNanos) {
        for (WalListener listener : listeners) {
            listener.committed(lsn, syncMode, durationNanos);
        }
    }

    @Override
    public void poisoned(WalPoison poison) {
        for (WalListener listener : listeners) {
            listener.poisoned(poison);
        }
    }
}
