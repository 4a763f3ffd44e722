/**
 * What the engine's background threads share: the flusher, the checkpointer, the archiver, the change feed
 * and the graph's own helpers each stop the same way, and the optional modules' threads do too.
 *
 * <p>Public types: {@link io.graphwal.concurrent.Threads}.
 */
package io.graphwal.concurrent;
