package io.graphwal.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.WalInspector;

/**
 * {@code stats}: every segment with its size and LSN range, the log's totals, and every snapshot with its
 * LSN, size and whether it reads back whole. The whole report is printed even when something is damaged;
 * the exit code then says so.
 */
final class Stats {

    private final PinnedFiles io;
    private final Path directory;

    Stats(PinnedFiles io, Path directory) {
        this.io = io;
        this.directory = directory;
    }

    int run(Report report) throws IOException {
        List<Path> snapshotFiles = SnapshotFiles.list(io, directory);
        for (Path file : snapshotFiles) {
            io.pin(file); // so that a live checkpoint's retention cannot take it away before it is read
        }
        WalInspector log = WalInspector.scan(directory, io);
        int exit = WalTool.OK;

        report.line("directory: " + directory);
        report.line("segments:");
        long bytes = 0;
        for (WalInspector.SegmentInfo segment : log.segments()) {
            long size = io.size(segment.file());
            bytes += size;
            String range = segment.records() == 0 ? "no records"
                    : "LSN " + segment.firstLsn() + " to " + segment.lastLsn() + " (" + segment.records() + " records)";
            report.line(String.format("  %s %12d bytes  %s", segment.file().getFileName(), size, range));
        }
        if (log.segments().isEmpty()) {
            report.line("  none");
        }
        String lsns = log.records() == 0 ? "no records (next LSN " + log.firstLsn() + ")"
                : log.records() + " records, LSN " + log.firstLsn() + " to " + log.lastLsn();
        report.line("log: " + log.segments().size() + " segment" + (log.segments().size() == 1 ? "" : "s") + ", "
                + bytes + " bytes, " + lsns + (log.corruption() == null ? "" : ", up to the damage below"));
        if (log.inUseBy() != null) {
            report.line("live: " + WalTool.liveNotice(log));
        }
        if (log.tornTail() != null) {
            report.warning(WalTool.describe(log.tornTail()));
        }
        if (log.corruption() != null) {
            report.error(log.corruption().getMessage());
            exit = WalTool.DAMAGED;
        }

        report.line("snapshots:");
        List<Path> oldestFirst = new ArrayList<>(snapshotFiles);
        Collections.reverse(oldestFirst);
        long snapshotBytes = 0;
        for (Path file : oldestFirst) {
            SnapshotCheck snapshot = SnapshotCheck.read(io, file);
            snapshotBytes += Math.max(0, snapshot.bytes());
            String state;
            if (snapshot.valid()) {
                state = "valid: " + snapshot.store().nodeCount() + " nodes, " + snapshot.store().relationshipCount()
                        + " relationships";
            } else {
                state = "INVALID";
                report.error(snapshot.problem() + WalTool.inUseAdvice(log));
                exit = WalTool.DAMAGED;
            }
            report.line(String.format("  %s  LSN %d %12d bytes  %s", file.getFileName(), snapshot.lsn(),
                    snapshot.bytes(), state));
        }
        if (snapshotFiles.isEmpty()) {
            report.line("  none");
        } else {
            report.line("snapshot total: " + snapshotFiles.size() + " file" + (snapshotFiles.size() == 1 ? "" : "s")
                    + ", " + snapshotBytes + " bytes, newest at LSN "
                    + SnapshotFiles.parseFileName(snapshotFiles.get(0).getFileName().toString()));
        }
        return exit;
    }
}
