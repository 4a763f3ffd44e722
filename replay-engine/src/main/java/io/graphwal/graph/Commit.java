package io.graphwal.graph;

import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Graph#commit}.
 *
 * @param value what the transaction function returned
 * @param lsn the LSN the log gave the transaction's record, or 0 if it changed nothing and was not logged
 * @param durable completes with the LSN once the record is durable (already complete where the log makes
 *     transactions visible only when durable, as the WAL's {@code per-commit} mode does), or exceptionally if
 *     the log fails first
 * @param <T> the function's result type
 */
public record Commit<T>(T value, long lsn, CompletableFuture<Long> durable) {
}
