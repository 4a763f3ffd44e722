package io.graphwal.wal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What opening the log found and did. A {@link WalRecovery} reports the same before it is opened: what the
 * open will cut, of which nothing is cut yet.
 *
 * @param segments how many segment files were verified
 * @param firstLsn the oldest LSN in the log (0 if it holds no record)
 * @param lastLsn the newest intact LSN (0 if it holds no record)
 * @param records how many records were verified
 * @param tornTailBytes how many bytes of a torn tail were (or are to be) cut off (0 if none)
 * @param tornTailFile the file that was (or is to be) cut or removed, or {@code null}
 * @param droppedFromLsn the first LSN lost with the torn tail, or 0 if none
 * @param droppedToLsn the last LSN that may have been lost with the torn tail (the highest whole record found
 *     after the damage, else {@code droppedFromLsn}), or 0 if none
 * @param duration how long recovery took
 */
public record RecoveryReport(
        int segments,
        long firstLsn,
        long lastLsn,
        long records,
        long tornTailBytes,
        Path tornTailFile,
        long droppedFromLsn,
        long droppedToLsn,
        Duration duration) {

    /**
     * Whether a torn tail was cut off or a torn (never acknowledged) last segment removed.
     *
     * @return true if recovery changed the log
     */
    public boolean truncatedTornTail() {
        return tornTailFile != null;
    }
}
