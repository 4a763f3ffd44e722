package io.graphwal.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A completed checkpoint.
 *
 * @param lsn the LSN the snapshot reflects
 * @param file the snapshot file
 * @param bytes its size
 * @param at when it completed
 * @param duration how long it took, freezing to purge
 * @param segmentsPurged how many WAL segments were deleted after it
 */
public record CheckpointReport(long lsn, Path file, long bytes, Instant at, Duration duration, int segmentsPurged) {
}
