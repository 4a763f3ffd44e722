package io.graphwal.archive;

import java.time.Instant;

/**
 * The archiver as operators see it.
 *
 * @param target the target's description ({@code file:DIR} or {@code s3://BUCKET/PREFIX})
 * @param timeline the timeline this graph writes, 0 until the archive was first reached
 * @param archivedLsn every durable transaction up to this LSN is in the archive
 * @param lagMillis the age of the oldest durable transaction not yet archived; 0 when all are
 * @param lastUpload the last object stored, or null
 * @param lastError the last failure, or null once an attempt succeeded after it
 * @param down whether the archive lags more than {@link ArchiveConfig#DOWN_AFTER_MAX_LAGS} times
 *     {@code max-lag}, or stopped for good
 */
public record ArchiveStatus(String target, long timeline, long archivedLsn, long lagMillis, Upload lastUpload,
        Failure lastError, boolean down) {

    /**
     * An object stored.
     *
     * @param at when
     * @param object its name
     * @param bytes its size
     */
    public record Upload(Instant at, String object, long bytes) {
    }

    /**
     * A failure.
     *
     * @param at when
     * @param message what failed
     */
    public record Failure(Instant at, String message) {
    }
}
