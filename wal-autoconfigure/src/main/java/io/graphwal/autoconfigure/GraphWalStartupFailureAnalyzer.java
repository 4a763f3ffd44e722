package io.graphwal.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.graphwal.replay.ReplayException;
import io.graphwal.wal.WalCorruptionException;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalLockedException;

/**
 * Explains why the graph could not be opened at startup: the directory is locked by another process, its
 * files are corrupt, or its snapshots and log do not rebuild a graph. The engine's message already names the
 * file, offset and LSN; the action says what an operator can do.
 */
class GraphWalStartupFailureAnalyzer extends AbstractFailureAnalyzer<WalException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WalException cause) {
        String action;
        if (cause instanceof WalLockedException) {
            action = "Stop the other application that uses this directory, or set graphwal.directory to a "
                    + "directory of this application's own.";
        } else if (cause instanceof WalCorruptionException) {
            action = "Do not delete files blindly. Inspect the directory with the wal tool (verify, dump), then "
                    + "restore it from a backup, or follow the options in the description; for a torn tail with "
                    + "graphwal.recovery.torn-tail=fail, set it to 'truncate' to cut the incomplete write.";
        } else if (cause instanceof ReplayException) {
            action = "Inspect the directory with the wal tool (verify, dump) and restore the missing or damaged "
                    + "files from a backup.";
        } else {
            action = "Check that graphwal.directory is a writable local directory, and look at the cause below.";
        }
        return new FailureAnalysis("GraphWAL could not open its graph: " + cause.getMessage(), action, cause);
    }
}
