package io.graphwal.replay;

import java.time.Duration;

/**
 * What opening a database did.
 *
 * @param snapshotLsn the LSN of the snapshot it started from, or 0 if none
 * @param snapshotsSkipped how many newer snapshots were unreadable and skipped
 * @param recordsReplayed how many WAL records were applied on top of the snapshot
 * @param tornTailBytes how many bytes of a torn WAL tail were cut off
 * @param duration how long opening took
 */
public record ReplayReport(long snapshotLsn, int snapshotsSkipped, long recordsReplayed, long tornTailBytes,
        Duration duration) {
}
