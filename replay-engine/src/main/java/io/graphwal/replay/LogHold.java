package io.graphwal.replay;

import java.util.function.Consumer;

/**
 * A claim on the write-ahead log from some LSN on, which keeps a {@link GraphDatabase}'s checkpoints from
 * purging the segments that hold it: an archiver that has not yet shipped them, or a change-feed reader that
 * has not yet delivered them. The holder moves the claim forward as it finishes with records and closes it
 * when it stops reading; only then may purge pass it.
 *
 * <p>Thread-safe: the holder advances it from its own thread while checkpoints read it from theirs.
 */
public final class LogHold implements AutoCloseable {

    private final String owner;
    private final Consumer<LogHold> onClose;
    private volatile long neededFromLsn;
    private volatile boolean closed;

    LogHold(String owner, long neededFromLsn, Consumer<LogHold> onClose) {
        this.owner = owner;
        this.neededFromLsn = neededFromLsn;
        this.onClose = onClose;
    }

    /**
     * Returns who holds the log, as given when the hold was taken (for messages and status).
     *
     * @return the owner's name
     */
    public String owner() {
        return owner;
    }

    /**
     * Returns the oldest LSN the holder still needs; purge keeps every segment holding it or anything after.
     *
     * @return the LSN
     */
    public long neededFromLsn() {
        return neededFromLsn;
    }

    /**
     * Tells the log that the holder is done with every LSN below {@code lsn}. A hold never moves back: a call
     * with a smaller LSN than the current one changes nothing.
     *
     * @param lsn the oldest LSN still needed
     */
    public synchronized void advanceTo(long lsn) {
        if (lsn > neededFromLsn) {
            neededFromLsn = lsn;
        }
    }

    /** Releases the hold; purge no longer waits for it. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return owner + " (needs the log from LSN " + neededFromLsn + ")";
    }
}
