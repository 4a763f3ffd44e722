package io.graphwal.graph;

import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Graph#commit}.
 *
 * @param value what the transaction function returned
 * @param lsn the LSN of the transaction's WAL record, or 0 if it changed nothing and was not logged
 * @param durable completes with the LSN once the record is fsynced (already complete in {@code per-commit}
 *     mode), or exceptionally if the log is poisoned first
 * @param <T> the function's result type
 */
public record Commit<T>(T value, long lsn, CompletableFuture<Long> durable) {
}
