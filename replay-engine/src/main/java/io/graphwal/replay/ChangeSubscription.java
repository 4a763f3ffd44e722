package io.graphwal.replay;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.concurrent.Threads;
import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WriteAheadLog;

/**
 * One reader of a {@link GraphDatabase}'s change feed, from {@link GraphDatabase#subscribe}: it hands every
 * durable transaction from its first LSN on to a {@link ChangeListener}, once each and in LSN order, until it
 * is closed or the listener fails.
 *
 * <p><b>Threads.</b> Each subscription runs on a daemon thread of its own, {@code graphwal-feed[name]}, which
 * reads the log files with its own {@link WalReader} and never touches the commit path: commits neither wait
 * for it nor queue anything for it, so a slow listener only lets its subscription fall behind, and the
 * {@link LogHold} it keeps (advanced past each transaction once the listener returned) holds back purge of the
 * segments it still has to read instead of letting it find a gap. The thread reads a record only once its LSN
 * is durable; when it has caught up it parks on a condition that the log's {@link WriteAheadLog#durable}
 * future for the next LSN signals, as does {@link #close()}, so it neither polls nor sleeps. The thread is
 * never interrupted (an interrupt inside a file read would close the channel under the reader), which is why
 * {@link #close()} waits for a listener call in progress to return. Position and failure are published
 * through volatile fields for any thread to read.
 */
public final class ChangeSubscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeSubscription.class);

    private final String name;
    private final ChangeListener listener;
    private final WriteAheadLog wal;
    private final WalReader reader;
    private final LogHold hold;
    private final Consumer<ChangeSubscription> onClose;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean closed;
    private volatile boolean stopped;
    private volatile long position;
    private volatile Throwable failure;

    ChangeSubscription(String name, long fromLsn, ChangeListener listener, WriteAheadLog wal, WalReader reader,
            LogHold hold, Consumer<ChangeSubscription> onClose) {
        this.name = name;
        this.listener = listener;
        this.wal = wal;
        this.reader = reader;
        this.hold = hold;
        this.onClose = onClose;
        this.position = fromLsn - 1;
        this.thread = new Thread(this::run, "graphwal-feed[" + name + "]");
        thread.setDaemon(true);
    }

    /** Checks the arguments, takes the hold and opens the reader; the caller starts the subscription. */
    static ChangeSubscription open(GraphDatabase database, String name, long fromLsn, ChangeListener listener,
            Consumer<ChangeSubscription> onClose) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A change-feed subscription needs a non-blank name: it names the "
                    + "subscription's thread and its hold on the log");
        }
        Objects.requireNonNull(listener, "listener");
        WriteAheadLog wal = database.wal();
        long newest = wal.appendedLsn();
        if (fromLsn < 1 || fromLsn > newest + 1) {
            throw new IllegalArgumentException("Cannot subscribe '" + name + "' from LSN " + fromLsn + ": give an LSN "
                    + "from 1 (or the oldest the log still holds) to " + (newest + 1) + ", the next one to be "
                    + "written, which delivers only what commits from now on");
        }
        LogHold hold = database.holdLog("change feed '" + name + "'", fromLsn);
        try {
            return new ChangeSubscription(name, fromLsn, listener, wal, wal.reader(fromLsn), hold, onClose);
        } catch (RuntimeException e) {
            hold.close();
            throw e;
        }
    }

    void start() {
        thread.start();
    }

    /**
     * Returns the subscription's name, as given to {@link GraphDatabase#subscribe}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the LSN of the last transaction the listener has handled (returned from), or the LSN before the
     * first one asked for while none has been. A new subscription from this LSN + 1 goes on without a gap.
     *
     * @return the position
     */
    public long position() {
        return position;
    }

    /**
     * Returns why the subscription stopped on its own: the listener's exception, a record that does not
     * decode, or the log's poison once nothing more can become durable.
     *
     * @return the failure, or {@code null} while running or after a plain close
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * Returns whether the subscription still delivers transactions: false once closed or failed.
     *
     * @return true while running
     */
    public boolean isRunning() {
        return !stopped;
    }

    private void run() {
        long next = position + 1;
        try (WalReader records = reader) {
            while (!closed) {
                if (wal.durableLsn() < next) {
                    awaitDurable(next);
                    continue;
                }
                // Durable means written, so the reader finds it; the reader checks LSN continuity itself.
                if (!records.next()) {
                    throw new IllegalStateException("LSN " + next + " is durable but the log reader found no record "
                            + "for it");
                }
                long lsn = records.lsn();
                if (records.type() != MutationCodec.TRANSACTION_RECORD) {
                    throw new IllegalStateException("the record at LSN " + lsn + " has type " + records.type()
                            + ", which this version of GraphWAL does not know; nothing after it was delivered");
                }
                listener.onCommitted(transaction(lsn, records.payload()));
                position = lsn;
                next = lsn + 1;
                hold.advanceTo(next);
            }
        } catch (Throwable e) {
            if (!closed) {
                failure = e;
                log.error("GraphWAL change feed '{}' stopped after LSN {}: {}. Subscribe again from LSN {} once "
                        + "the cause is fixed.", name, position, e.toString(), position + 1, e);
            }
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
        } finally {
            stopped = true;
            hold.close();
        }
    }

    private static CommittedTransaction transaction(long lsn, ByteBuffer payload) {
        long micros = MutationCodec.commitTimeMicros(payload.duplicate());
        List<Mutation> mutations = MutationCodec.decode(payload.duplicate());
        Instant committedAt = micros == MutationCodec.UNKNOWN_COMMIT_TIME ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        return new CommittedTransaction(lsn, committedAt, mutations);
    }

    /**
     * Parks until {@code lsn} is durable or the subscription is closed.
     *
     * @throws io.graphwal.wal.WalPoisonedException if the log is poisoned first: nothing more becomes durable
     * @throws WalClosedException if the log closes first
     */
    private void awaitDurable(long lsn) {
        CompletableFuture<Long> durable = wal.durable(lsn);
        if (!durable.isDone()) {
            durable.whenComplete((reached, problem) -> wake());
            lock.lock();
            try {
                while (!durable.isDone() && !closed) {
                    wakeUp.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
        }
        if (durable.isCompletedExceptionally() && !closed) {
            try {
                durable.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private void wake() {
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the subscription: wakes its thread, waits for a listener call in progress to return, joins the
     * thread and releases its hold on the log. Idempotent; called from the listener itself it stops after that
     * call returns, without waiting.
     */
    @Override
    public void close() {
        closed = true;
        wake();
        if (!thread.isAlive() && Thread.currentThread() != thread) {
            stopped = true; // never started, or already finished
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            Threads.joinUninterruptibly(thread);
        }
        if (!thread.isAlive() || Thread.currentThread() == thread) {
            hold.close();
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "change feed '" + name + "' at LSN " + position + (failure == null ? "" : " (failed: " + failure + ")");
    }
}
