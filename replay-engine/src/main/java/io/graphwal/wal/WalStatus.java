package io.graphwal.wal;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A consistent-enough picture of the log for operators: each field is read once, without stopping
 * appenders, so fields may be a few records apart from each other.
 *
 * @param syncMode the configured mode
 * @param directory the log's directory
 * @param appendedLsn the newest LSN written to the operating system (0 if none)
 * @param durableLsn the newest LSN known to be fsynced (0 if none)
 * @param segmentCount how many segment files exist
 * @param segmentBytes their valid bytes in total
 * @param lastFsyncAt when the last fsync finished, or {@code null} if none yet
 * @param lastFsyncDurationNanos how long it took
 * @param poison the failure that poisoned the log, or {@code null}
 * @param recovery what opening the log found
 */
public record WalStatus(
        SyncMode syncMode,
        Path directory,
        long appendedLsn,
        long durableLsn,
        int segmentCount,
        long segmentBytes,
        Instant lastFsyncAt,
        long lastFsyncDurationNanos,
        WalPoison poison,
        RecoveryReport recovery) {

    /**
     * Whether the log refuses writes.
     *
     * @return true once poisoned
     */
    public boolean poisoned() {
        return poison != null;
    }
}
