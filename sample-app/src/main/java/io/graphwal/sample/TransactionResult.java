package io.graphwal.sample;

import java.util.List;
import java.util.Map;

/**
 * The response of {@code POST /api/transactions}.
 *
 * @param lsn the log sequence number of the transaction's WAL record (0 if it changed nothing)
 * @param nodes the ids of the nodes created under a key, by key
 * @param relationships the ids of the relationships created under a key, by key
 * @param results one entry per operation, in request order
 */
record TransactionResult(long lsn, Map<String, Long> nodes, Map<String, Long> relationships,
        List<OperationResult> results) {

    /**
     * What one operation did.
     *
     * @param op the operation's name
     * @param id the id of the node or relationship it created, changed or deleted
     */
    record OperationResult(String op, long id) {
    }
}
