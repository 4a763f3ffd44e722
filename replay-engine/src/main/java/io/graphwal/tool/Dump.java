package io.graphwal.tool;

import java.io.PrintStream;
import java.nio.file.Path;

import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.io.FileIO;
import io.graphwal.wal.WalInspector;
import io.graphwal.wal.WalReader;

/**
 * {@code dump}: the records from one LSN to another, each as a line with its LSN, type and payload size,
 * followed by its decoded mutations, one per indented line. The log is scanned first by recovery's rules, so
 * only records that opening the log would keep are printed; where the requested range runs into a
 * corruption, the dump ends with an error line there, and into a torn tail, with a warning. On a live
 * directory it prints the records up to where the scan found the running log writing, and ends with a
 * {@code NOTE:} line saying so.
 */
final class Dump {

    private final FileIO io;
    private final Path directory;
    private final long from;
    private final long to;

    /**
     * @param from the first LSN to print, or -1 for the first in the log
     * @param to the last LSN to print, or {@link Long#MAX_VALUE} for the last
     */
    Dump(FileIO io, Path directory, long from, long to) {
        this.io = io;
        this.directory = directory;
        this.from = from;
        this.to = to;
    }

    /**
     * Scans the log, printing nothing, so that a scan that meets a file deleted by a live checkpoint can
     * simply be run again.
     */
    WalInspector scan() {
        return WalInspector.scan(directory, io);
    }

    /** Prints the requested records of what {@link #scan()} verified, then how the range ended. */
    int print(WalInspector log, PrintStream out, PrintStream err) {
        long start = from < 0 ? log.firstLsn() : from;
        if (start < log.firstLsn()) {
            err.println("ERROR: LSN " + start + " is no longer in the log, which starts at LSN " + log.firstLsn()
                    + " (older segments are purged after a snapshot); dump from LSN " + log.firstLsn() + " or later");
            return WalTool.DAMAGED;
        }
        if (start > log.lastLsn() + 1 && log.corruption() == null) {
            err.println("ERROR: LSN " + start + " is after the end of the log, which ends at LSN " + log.lastLsn()
                    + (log.inUseBy() == null ? "" : "; " + WalTool.liveNotice(log) + ", so dump again later"));
            return WalTool.DAMAGED;
        }
        if (start <= log.lastLsn()) {
            try (WalReader reader = log.reader(start)) {
                while (reader.next() && reader.lsn() <= to) {
                    if (!print(log, reader, out, err)) {
                        return WalTool.DAMAGED;
                    }
                }
            }
        }
        out.flush();
        if (to > log.lastLsn()) {
            if (log.corruption() != null) {
                err.println("ERROR: " + log.corruption().getMessage());
                return WalTool.DAMAGED;
            }
            if (log.tornTail() != null) {
                err.println("WARNING: " + WalTool.describe(log.tornTail()));
            }
            if (log.inUseBy() != null) {
                err.println("NOTE: " + WalTool.liveNotice(log));
            }
        }
        return WalTool.OK;
    }

    /** Prints one record; false, after an error line, if it cannot be decoded. */
    private boolean print(WalInspector log, WalReader reader, PrintStream out, PrintStream err) {
        long lsn = reader.lsn();
        int size = reader.payload().remaining();
        if (reader.type() != MutationCodec.TRANSACTION_RECORD) {
            out.println("LSN " + lsn + ": type " + reader.type() + ", " + size + " bytes");
            out.flush();
            err.println("ERROR: the record at LSN " + lsn + " in " + WalTool.segmentOf(log, lsn) + " has type "
                    + reader.type() + ", which this version of GraphWAL does not know, so it cannot be decoded");
            return false;
        }
        WalTool.Decoded decoded = WalTool.decode(reader);
        if (decoded.problem() != null) {
            out.println("LSN " + lsn + ": transaction, " + size + " bytes");
            out.flush();
            err.println("ERROR: the record at LSN " + lsn + " in " + WalTool.segmentOf(log, lsn) + " has a valid "
                    + "checksum but does not decode: " + decoded.problem());
            return false;
        }
        int count = decoded.value().size();
        out.println("LSN " + lsn + ": transaction, " + size + " bytes, " + count + " mutation"
                + (count == 1 ? "" : "s"));
        for (Mutation mutation : decoded.value()) {
            out.println("    " + MutationText.format(mutation));
        }
        return true;
    }
}
