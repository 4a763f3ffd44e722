package io.graphwal.wal;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * The repair half of recovery: applies what a {@link LogScan} found a crash to have left behind, and nothing
 * else. It cuts the torn tail off the last segment, or removes a last segment whose header is torn (no record
 * in it was ever acknowledged), syncs the directory, and logs the cut.
 *
 * <p>Only an opening log calls it, from {@link WalRecovery#open()}, once the opener has checked everything
 * else the open depends on: a failure here is an I/O error, not a refusal. The inspector never repairs. Runs
 * on the opener's thread while it holds the directory lock, before the log exists, so nothing else touches
 * the files. Operators see and configure its logger by this class's name.
 */
final class LogRecovery {

    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    private LogRecovery() {
    }

    /**
     * Cuts the torn tail {@code scanned} found in {@code directory}, if any, and syncs the directory.
     *
     * @param scanned a scan of {@code directory} that found no corruption
     * @throws IOException if a file cannot be changed or the directory cannot be synced
     */
    static void repair(FileIO io, Path directory, LogScan.Result scanned) throws IOException {
        WalInspector.TornTail tail = scanned.tornTail();
        if (tail != null) {
            if (tail.offset() == 0) {
                io.delete(tail.file()); // a torn header: nothing in the file was ever acknowledged
            } else {
                try (FileHandle file = io.open(tail.file(), FileIO.OpenMode.READ_WRITE)) {
                    file.truncate(tail.offset());
                    file.force();
                }
            }
        }
        // Also makes durable whatever directory changes a crashed predecessor had not synced yet.
        io.syncDirectory(directory);
        if (tail != null) {
            log.warn("GraphWAL recovery cut a torn tail of {} bytes from {}: an incomplete write that was never "
                    + "durable (LSN {} to at most {}); the log continues from LSN {}", tail.bytes(), tail.file(),
                    tail.fromLsn(), tail.toLsn(), scanned.nextLsn());
        }
    }
}
