package io.graphwal.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.graphwal.graph.GraphStore;
import io.graphwal.replay.Replay;
import io.graphwal.replay.ReplayException;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.WalInspector;
import io.graphwal.wal.WalReader;

/**
 * {@code verify}: the log by recovery's rules, then every snapshot in full, then that the newest usable
 * snapshot and the log after it rebuild a graph, in an in-memory store that is thrown away. Stops at the
 * first problem. A torn tail is a warning, not a failure: see {@link WalTool}.
 */
final class Verify {

    private final PinnedFiles io;
    private final Path directory;

    Verify(PinnedFiles io, Path directory) {
        this.io = io;
        this.directory = directory;
    }

    int run(Report report) throws IOException {
        // Snapshots are listed (and opened, so that retention cannot take them away) before the log is
        // scanned: a live checkpoint may then add a snapshot that this run does not see, but never one that is
        // ahead of the log it scanned.
        List<Path> snapshots = SnapshotFiles.list(io, directory);
        for (Path file : snapshots) {
            io.pin(file);
        }
        WalInspector log = WalInspector.scan(directory, io);
        boolean live = log.inUseBy() != null;
        if (log.corruption() != null) {
            report.error(log.corruption().getMessage());
            return WalTool.DAMAGED;
        }
        report.line("log: " + WalTool.describeLog(log) + "; every segment header, record checksum and LSN checked");
        if (live) {
            report.line("live: " + WalTool.liveNotice(log));
        }
        if (log.tornTail() != null) {
            report.warning(WalTool.describe(log.tornTail()));
        }

        GraphStore base = null;
        List<String> checked = new ArrayList<>();
        for (Path file : snapshots) {
            SnapshotCheck snapshot = SnapshotCheck.read(io, file);
            if (!snapshot.valid()) {
                report.error(snapshot.problem() + ". Opening the graph skips a damaged snapshot and falls back to "
                        + "an older one with a longer log tail, if there is one; "
                        + (live ? "the snapshot is complete (a snapshot being written has a temporary name), so "
                                + "this is not a checkpoint in progress." + WalTool.inUseAdvice(log)
                                : "move it out of the directory or restore it from a backup."));
                return WalTool.DAMAGED;
            }
            checked.add(String.valueOf(snapshot.lsn()));
            if (snapshot.lsn() > log.lastLsn()) {
                // The snapshot proves every LSN up to its own was durable, so a log that ends below it lost
                // acknowledged records: damage, not a torn tail, whatever the scan called it.
                report.error("Snapshot " + file + " is at LSN " + snapshot.lsn() + " but the log ends at LSN "
                        + log.lastLsn() + (log.tornTail() != null ? " (the rest of its last segment is damaged)" : "")
                        + ": the snapshot proves LSNs up to " + snapshot.lsn() + " were durable, so log records are "
                        + "missing, and opening the graph refuses to start. "
                        + (live ? WalTool.inUseAdvice(log).strip()
                                : "Restore the log segments from a backup. Moving the snapshot out of the directory "
                                        + "would start from an older state and lose LSN " + (log.lastLsn() + 1)
                                        + " to " + snapshot.lsn() + "."));
                return WalTool.DAMAGED;
            }
            if (snapshot.lsn() + 1 < log.firstLsn()) {
                if (live) {
                    // Retention of a checkpoint that ran after the listing purged the log behind it.
                    report.line("snapshot " + file.getFileName() + " skipped: a checkpoint of the running "
                            + "application purged the log it needs (from LSN " + (snapshot.lsn() + 1)
                            + ") while this run read the directory");
                } else {
                    report.warning("Snapshot " + file + " cannot be used: it needs the log from LSN "
                            + (snapshot.lsn() + 1) + " but the log starts at LSN " + log.firstLsn());
                }
            } else if (base == null) {
                base = snapshot.store();
            }
        }
        report.line(snapshots.isEmpty() ? "snapshots: none"
                : "snapshots: " + snapshots.size() + " (LSN " + String.join(", ", checked) + "); every header and "
                        + "block checksum checked, every body decoded");

        if (base == null) {
            if (log.firstLsn() > 1) {
                if (live && !snapshots.isEmpty()) {
                    throw new WalTool.Changed("The running application's checkpoints purged the log past every "
                            + "snapshot this run had listed (the log now starts at LSN " + log.firstLsn() + ")");
                }
                report.error("No usable snapshot, and the log starts at LSN " + log.firstLsn() + " instead of 1, so "
                        + "the graph cannot be rebuilt and opening it refuses to start. "
                        + (live ? WalTool.inUseAdvice(log).strip() : "Restore a snapshot from a backup."));
                return WalTool.DAMAGED;
            }
            base = new GraphStore();
        }
        long snapshotLsn = base.appliedLsn();
        long replayed = 0;
        if (!log.segments().isEmpty()) {
            try (WalReader reader = log.reader(snapshotLsn + 1)) {
                replayed = Replay.apply(base, reader, log.lastLsn());
            } catch (ReplayException e) {
                report.error("The record at LSN " + e.lsn() + " in " + WalTool.segmentOf(log, e.lsn()) + " "
                        + e.problem() + ". Its checksum is valid, so it was written this way; opening the graph "
                        + "refuses to start. Look at it with: dump " + directory + " --from " + e.lsn() + " --to "
                        + e.lsn());
                return WalTool.DAMAGED;
            }
        }
        report.line("rebuild: " + (snapshotLsn == 0 ? "no snapshot" : "snapshot at LSN " + snapshotLsn) + " + "
                + replayed + " records replayed = " + base.nodeCount() + " nodes, " + base.relationshipCount()
                + " relationships at LSN " + base.appliedLsn() + " (in memory only)");
        report.line(report.warnings() == 0 ? "OK" : "OK, with " + report.warnings() + " warning"
                + (report.warnings() == 1 ? "" : "s"));
        return WalTool.OK;
    }
}
