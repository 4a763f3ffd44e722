package io.graphwal.wal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owns the durable LSN, the poisoned latch and everyone waiting for durability.
 *
 * <p><b>Leader/follower.</b> A thread that needs LSN {@code n} durable calls {@link #awaitDurable(long)}. If
 * no fsync is running it becomes the leader: it releases the lock, runs {@link SyncAction#sync()} (which
 * fsyncs everything appended so far and returns the LSN that covers), retakes the lock, publishes the new
 * durable LSN and wakes everyone. Threads arriving while an fsync runs wait; when it ends, those still not
 * covered elect the next leader among themselves. So concurrent committers share fsyncs without a timer, and
 * an fsync is never held up behind appenders (the lock is not held during it).
 *
 * <p><b>Poison.</b> The first failure of an fsync or a write is recorded once and never cleared; from then on
 * every waiter and every later call fails with {@link WalPoisonedException}, and no fsync is attempted again:
 * after a failed fsync the kernel may have dropped the dirty pages, so a retry that "succeeds" would lie.
 *
 * <p><b>Futures.</b> {@link #whenDurable(long)} futures are completed outside the lock, on whichever thread
 * advanced the durable LSN (an appender, the flusher, or a closer); dependents should use the async variants
 * for slow work.
 */
final class DurabilityTracker {

    /** Makes everything appended so far durable. */
    interface SyncAction {
        /**
         * Fsyncs what has been appended.
         *
         * @return the highest LSN now durable
         * @throws IOException if the fsync failed
         */
        long sync() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final SyncAction action;
    private final WalListener listener;
    private final TreeMap<Long, CompletableFuture<Long>> waiting = new TreeMap<>();
    private volatile long durableLsn;
    private volatile WalPoison poison;
    private volatile long lastSyncAtMillis;
    private volatile long lastSyncNanos;
    private boolean syncing;

    DurabilityTracker(long durableLsn, SyncAction action, WalListener listener) {
        this.durableLsn = durableLsn;
        this.action = action;
        this.listener = listener;
    }

    long durableLsn() {
        return durableLsn;
    }

    WalPoison poison() {
        return poison;
    }

    Instant lastSyncAt() {
        long millis = lastSyncAtMillis;
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    long lastSyncNanos() {
        return lastSyncNanos;
    }

    /** Fails fast if the log is poisoned. */
    void checkNotPoisoned() {
        WalPoison current = poison;
        if (current != null) {
            throw new WalPoisonedException(current);
        }
    }

    /**
     * Blocks until {@code lsn} is durable, leading an fsync if none is running.
     *
     * @throws WalPoisonedException if the log is or becomes poisoned first
     */
    void awaitDurable(long lsn) {
        if (durableLsn >= lsn) {
            return;
        }
        List<Map.Entry<Long, CompletableFuture<Long>>> completed = null;
        lock.lock();
        try {
            while (durableLsn < lsn) {
                checkNotPoisoned();
                if (syncing) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long before = durableLsn;
                long started = System.nanoTime();
                long reached = before;
                Throwable failure = null;
                lock.unlock();
                try {
                    reached = action.sync();
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                } finally {
                    lock.lock();
                    syncing = false;
                }
                if (failure != null) {
                    poisonLocked(failure, "fsync");
                } else {
                    long nanos = System.nanoTime() - started;
                    lastSyncNanos = nanos;
                    lastSyncAtMillis = System.currentTimeMillis();
                    completed = advanceLocked(reached, completed);
                    listener.synced(nanos, Math.max(0, reached - before));
                }
                changed.signalAll();
                if (failure == null && durableLsn < lsn) {
                    // The log only asks for LSNs it has written, so an fsync of everything covers them.
                    throw new IllegalStateException("LSN " + lsn + " was awaited before it was appended");
                }
            }
        } finally {
            lock.unlock();
            complete(completed);
        }
    }

    /**
     * Publishes that everything up to {@code lsn} is durable because an fsync outside the leader protocol
     * (a segment seal) covered it.
     */
    void markDurable(long lsn, long fsyncNanos) {
        List<Map.Entry<Long, CompletableFuture<Long>>> completed;
        lock.lock();
        try {
            long before = durableLsn;
            lastSyncNanos = fsyncNanos;
            lastSyncAtMillis = System.currentTimeMillis();
            completed = advanceLocked(lsn, null);
            listener.synced(fsyncNanos, Math.max(0, lsn - before));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        complete(completed);
    }

    /**
     * Returns a future completed with {@code lsn} once it is durable, or exceptionally if the log is poisoned
     * (or closed) first.
     */
    CompletableFuture<Long> whenDurable(long lsn) {
        if (durableLsn >= lsn) {
            return CompletableFuture.completedFuture(lsn);
        }
        lock.lock();
        try {
            if (durableLsn >= lsn) {
                return CompletableFuture.completedFuture(lsn);
            }
            if (poison != null) {
                return CompletableFuture.failedFuture(new WalPoisonedException(poison));
            }
            return waiting.computeIfAbsent(lsn, key -> new CompletableFuture<>());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Poisons the log (if it is not already) and returns the exception the caller should throw.
     *
     * @param cause the failed I/O
     * @param operation what was being done
     */
    WalPoisonedException poison(Throwable cause, String operation) {
        lock.lock();
        try {
            poisonLocked(cause, operation);
            changed.signalAll();
            return new WalPoisonedException(poison);
        } finally {
            lock.unlock();
        }
    }

    /** Fails every pending future: the log is closing and nothing will advance the durable LSN again. */
    void failPending(RuntimeException reason) {
        List<CompletableFuture<Long>> pending;
        lock.lock();
        try {
            pending = new ArrayList<>(waiting.values());
            waiting.clear();
        } finally {
            lock.unlock();
        }
        pending.forEach(future -> future.completeExceptionally(reason));
    }

    private void poisonLocked(Throwable cause, String operation) {
        if (poison != null) {
            return;
        }
        WalPoison first = new WalPoison(cause, Instant.now(), operation, durableLsn);
        poison = first;
        WalPoisonedException failure = new WalPoisonedException(first);
        List<CompletableFuture<Long>> pending = new ArrayList<>(waiting.values());
        waiting.clear();
        // Completing under the lock is acceptable here: it happens once per process lifetime.
        pending.forEach(future -> future.completeExceptionally(failure));
        listener.poisoned(first);
    }

    private List<Map.Entry<Long, CompletableFuture<Long>>> advanceLocked(
            long lsn, List<Map.Entry<Long, CompletableFuture<Long>>> into) {
        if (lsn <= durableLsn) {
            return into;
        }
        durableLsn = lsn;
        List<Map.Entry<Long, CompletableFuture<Long>>> result = into;
        while (!waiting.isEmpty() && waiting.firstKey() <= lsn) {
            if (result == null) {
                result = new ArrayList<>();
            }
            result.add(waiting.pollFirstEntry());
        }
        return result;
    }

    private static void complete(List<Map.Entry<Long, CompletableFuture<Long>>> entries) {
        if (entries != null) {
            for (Map.Entry<Long, CompletableFuture<Long>> entry : entries) {
                entry.getValue().complete(entry.getKey());
            }
        }
    }
}
