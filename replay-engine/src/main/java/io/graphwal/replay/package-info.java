/**
 * Opening a durable graph (newest readable snapshot plus the WAL after it) and checkpointing it:
 * {@link io.graphwal.replay.GraphDatabase}.
 */
package io.graphwal.replay;
