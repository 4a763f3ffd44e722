package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link Graph} sends its transactions, and how it learns they are durable: the one thing the graph
 * knows of persistence.
 *
 * <p>A graph writes each committed transaction as one encoded record (see {@link MutationCodec}) under its
 * writer lock, so the log sees records in commit order and must number them with dense, increasing LSNs.
 * In production the implementation is the write-ahead log, wired in by the database that opens it; a test
 * may keep the records in memory, and a replica or a consensus state machine may feed the graph from
 * elsewhere. Implementations must be thread-safe: {@link #awaitDurable} and {@link #durable} are called by
 * committing threads outside the graph's locks.
 */
public interface TransactionLog {

    /**
     * Returns whether a transaction may become visible to readers only once it is durable. When true the
     * graph keeps a written transaction pending until {@link #durableLsn()} passes it; when false it applies
     * the transaction as soon as {@link #write} returns.
     *
     * @return whether visibility waits for durability
     */
    boolean visibleOnlyWhenDurable();

    /**
     * Refuses, before a transaction's body runs, a commit that could not be written: the log is closed or
     * stopped after a failure.
     *
     * @throws RuntimeException the reason, which the graph passes to the committer unchanged
     */
    void checkWritable();

    /**
     * Writes one encoded transaction and returns its LSN without waiting for it to become durable. Called
     * under the graph's writer lock, so calls never overlap.
     *
     * @param transaction the encoded mutations; its position advances to its limit
     * @return the transaction's LSN, one more than the previous write's
     * @throws RuntimeException if the record cannot be written; the graph then changes nothing
     */
    long write(ByteBuffer transaction);

    /**
     * Blocks until {@code lsn} is durable.
     *
     * @param lsn an LSN returned by {@link #write}
     * @throws RuntimeException if it cannot become durable (the log failed or closed first)
     */
    void awaitDurable(long lsn);

    /**
     * Returns the newest LSN that is durable, or 0.
     *
     * @return the durable LSN
     */
    long durableLsn();

    /**
     * Returns a future completed with {@code lsn} once it is durable, or exceptionally if it never will be.
     *
     * @param lsn an LSN returned by {@link #write}
     * @return the future
     */
    CompletableFuture<Long> durable(long lsn);

    /**
     * Stops the log from acknowledging anything after a transaction it holds could not be applied to the
     * graph: a restart must replay that transaction whole, and nothing committed later may be acknowledged
     * meanwhile.
     *
     * @param operation what failed, e.g. "apply of LSN 12 to the graph"
     * @param cause the failure
     */
    void fail(String operation, Throwable cause);
}
