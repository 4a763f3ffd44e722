package io.graphwal.replay;

import java.time.Instant;
import java.util.List;

import io.graphwal.graph.Mutation;

/**
 * One durable transaction as the change feed delivers it.
 *
 * @param lsn its log sequence number, one more than the transaction before it
 * @param committedAt when it committed, or {@code null} for a transaction logged before records carried their
 *     commit time
 * @param mutations its changes, in the order they were made; replaying them in LSN order rebuilds the graph
 */
public record CommittedTransaction(long lsn, Instant committedAt, List<Mutation> mutations) {

    /**
     * Checks and copies the parts.
     *
     * @param lsn its LSN, at least 1
     * @param committedAt its commit time, or {@code null} if unknown
     * @param mutations its changes
     */
    public CommittedTransaction {
        if (lsn < 1) {
            throw new IllegalArgumentException("a transaction's LSN is at least 1, not " + lsn);
        }
        mutations = List.copyOf(mutations);
    }
}
