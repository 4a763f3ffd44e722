package io.graphwal.wal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Owns the durable LSN, the poisoned latch and everyone waiting for durability.
 *
 * <p><b>Leader/follower.</b> A thread that needs LSN {@code n} durable calls {@link #awaitDurable(long)}. If
 * no fsync is running it becomes the leader: it releases the lock, runs {@link SyncAction#sync()} (which
 * fsyncs everything appended so far and returns the LSN that covers), retakes the lock and publishes the new
 * durable LSN. Threads arriving while an fsync runs queue a waiter and park. When an fsync ends, the leader
 * takes every waiter it covered off the queue and unparks each one directly (they leave without touching the
 * lock again), and unparks one waiter it did not cover, which leads the next fsync unless an arriving thread
 * got there first. So concurrent committers share fsyncs without a timer, the next fsync starts one wake-up
 * after the last one ended instead of after a convoy through the lock, and an fsync is never held up behind
 * appenders (the lock is held only for bookkeeping, never during I/O or a park).
 *
 * <p><b>Poison.</b> The first failure of an fsync or a write is recorded once and never cleared; from then on
 * every waiter and every later call fails with {@link WalPoisonedException}, the durable LSN no longer moves
 * (not even for an fsync that was already running and succeeds), and no fsync is attempted again:
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

    /**
     * A thread parked until the durable LSN reaches {@link #lsn}. Queued and dequeued under the lock; volatile
     * so that a woken waiter can see without the lock that it was dequeued.
     */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long lsn;
        volatile boolean queued;

        Waiter(long lsn) {
            this.lsn = lsn;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Parked waiters, in arrival order. Guarded by the lock. */
    private final ArrayList<Waiter> parked = new ArrayList<>();
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
        // Waiting is uninterruptible (a commit must learn its outcome), but a pending interrupt makes every park
        // return at once, so it is cleared before parking and restored on the way out.
        boolean interrupted = false;
        Waiter me = null;
        try {
            while (durableLsn < lsn) {
                boolean lead = false;
                lock.lock();
                try {
                    if (durableLsn >= lsn) {
                        break;
                    }
                    if (poison != null) {
                        dequeue(me);
                        throw new WalPoisonedException(poison);
                    }
                    if (!syncing) {
                        syncing = true;
                        dequeue(me);
                        lead = true;
                    } else if (me == null || !me.queued) {
                        if (me == null) {
                            me = new Waiter(lsn);
                        }
                        me.queued = true;
                        parked.add(me);
                    }
                } finally {
                    lock.unlock();
                }
                if (lead) {
                    lead(lsn);
                } else {
                    interrupted |= Thread.interrupted();
                    // Returns at an unpark from the leader, or spuriously; either way the loop looks again.
                    LockSupport.park(this);
                }
            }
            if (me != null && me.queued) {
                lock.lock();
                try {
                    dequeue(me);
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs one fsync as the leader and publishes its outcome. Called with {@code syncing} set by this thread. */
    private void lead(long lsn) {
        long before = durableLsn;
        long started = System.nanoTime();
        long reached = before;
        Throwable failure = null;
        try {
            reached = action.sync();
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
        List<Map.Entry<Long, CompletableFuture<Long>>> completed = null;
        List<Waiter> wake;
        lock.lock();
        try {
            syncing = false;
            if (failure != null) {
                poisonLocked(failure, "fsync");
            } else {
                long nanos = System.nanoTime() - started;
                lastSyncNanos = nanos;
                lastSyncAtMillis = System.currentTimeMillis();
                completed = advanceLocked(reached, null);
                listener.synced(nanos, Math.max(0, reached - before));
            }
            wake = releaseLocked();
        } finally {
            lock.unlock();
        }
        unpark(wake);
        complete(completed);
        if (failure == null && poison == null && durableLsn < lsn) {
            // The log only asks for LSNs it has written, so an fsync of everything covers them.
            throw new IllegalStateException("LSN " + lsn + " was awaited before it was appended");
        }
    }

    /**
     * Takes off the queue, for unparking once the lock is released, every waiter that has nothing left to
     * wait for (all of them once the log is poisoned) and, if others are still waiting and no fsync runs, one
     * of those to lead the next one.
     */
    private List<Waiter> releaseLocked() {
        if (parked.isEmpty()) {
            return List.of();
        }
        List<Waiter> wake = new ArrayList<>(parked.size());
        Waiter nextLeader = null;
        int kept = 0;
        for (int i = 0; i < parked.size(); i++) {
            Waiter waiter = parked.get(i);
            if (poison != null || waiter.lsn <= durableLsn) {
                waiter.queued = false;
                wake.add(waiter);
            } else {
                if (nextLeader == null) {
                    nextLeader = waiter;
                }
                parked.set(kept++, waiter);
            }
        }
        parked.subList(kept, parked.size()).clear();
        if (nextLeader != null && !syncing) {
            wake.add(nextLeader);
        }
        return wake;
    }

    private static void unpark(List<Waiter> waiters) {
        for (int i = 0; i < waiters.size(); i++) {
            LockSupport.unpark(waiters.get(i).thread);
        }
    }

    /** Removes {@code waiter} from the queue if it is there. Called under the lock. */
    private void dequeue(Waiter waiter) {
        if (waiter != null && waiter.queued) {
            waiter.queued = false;
            parked.remove(waiter);
        }
    }

    /**
     * Publishes that everything up to {@code lsn} is durable because an fsync outside the leader protocol
     * (a segment seal) covered it.
     */
    void markDurable(long lsn, long fsyncNanos) {
        List<Map.Entry<Long, CompletableFuture<Long>>> completed;
        List<Waiter> wake;
        lock.lock();
        try {
            long before = durableLsn;
            lastSyncNanos = fsyncNanos;
            lastSyncAtMillis = System.currentTimeMillis();
            completed = advanceLocked(lsn, null);
            listener.synced(fsyncNanos, Math.max(0, lsn - before));
            wake = releaseLocked();
        } finally {
            lock.unlock();
        }
        unpark(wake);
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
        WalPoisonedException thrown;
        List<Waiter> wake;
        lock.lock();
        try {
            poisonLocked(cause, operation);
            thrown = new WalPoisonedException(poison);
            wake = releaseLocked();
        } finally {
            lock.unlock();
        }
        unpark(wake);
        return thrown;
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
        // Once poisoned the durable LSN stays where the poison recorded it, even for an fsync that succeeded
        // but finished after another one failed (a leader publishes after releasing the force lock, so a seal
        // can fail in between): nothing is acknowledged after the poison, and its durable LSN stays true.
        if (lsn <= durableLsn || poison != null) {
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
