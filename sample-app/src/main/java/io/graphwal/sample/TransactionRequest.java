package io.graphwal.sample;

import java.util.List;

/**
 * The body of {@code POST /api/transactions}.
 *
 * @param operations applied in order, all in one transaction
 */
record TransactionRequest(List<Operation> operations) {
}
