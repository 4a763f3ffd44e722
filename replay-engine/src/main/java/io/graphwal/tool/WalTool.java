package io.graphwal.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.io.FileIO;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalInspector;
import io.graphwal.wal.WalReader;

/**
 * The {@code wal} command-line tool, run from the replay engine's {@code tool} jar:
 *
 * <pre>
 * java -jar replay-engine-0.1.0-SNAPSHOT-tool.jar verify DIR
 * java -jar replay-engine-0.1.0-SNAPSHOT-tool.jar dump DIR [--from LSN] [--to LSN]
 * java -jar replay-engine-0.1.0-SNAPSHOT-tool.jar stats DIR
 * java -jar replay-engine-0.1.0-SNAPSHOT-tool.jar restore --from SOURCE --to DIR [--lsn N | --time T]
 * java -jar replay-engine-0.1.0-SNAPSHOT-tool.jar archive-list SOURCE
 * </pre>
 *
 * <p>{@code restore} and {@code archive-list} ({@link ArchiveCommands}) work on an archive; {@code restore} is
 * the one command that writes, and only into a missing or empty directory. What follows is about the others.
 *
 * <p><b>Read-only and lock-free.</b> The tool never opens the log (which would take the directory lock and
 * cut a torn tail off); it reads through {@link WalInspector} and the snapshot reader, opening files for
 * reading only. So it changes no byte and can run while an application holds the directory open.
 *
 * <p><b>On a live directory</b> (its lock held by a running GraphWAL, see {@link WalInspector#inUseBy()}) it
 * reports what was consistent when it looked, and says so: "the directory is in use by a running GraphWAL
 * (...); the tail past LSN N is being written". Everything a running writer produces is judged as such by
 * the inspector; the tool adds that each run opens every file once and keeps it open to the end
 * ({@link PinnedFiles}), so a segment or snapshot that a checkpoint deletes after the run opened it is still
 * read whole. A file deleted between the listing and its opening, or checkpoints that purge the log past
 * every snapshot the run had listed, make the run start over before it prints anything, at most three
 * times. Whatever it reports on a live directory, it advises to stop the application first and run verify
 * again, never to move or delete files.
 *
 * <p><b>Exit codes.</b> 0: all is well, though warnings may have been printed; 1: damage was found, or a file
 * could not be read; 2: usage error. Results go to standard output, warnings and errors to standard error,
 * each on a line starting with {@code WARNING:} or {@code ERROR:}; {@code dump} ends with a {@code NOTE:}
 * line there on a live directory, as its standard output holds only records.
 *
 * <p><b>A torn tail is a warning.</b> An incomplete write at the end of the last segment that no later
 * record proves durable is what a crash or power loss leaves behind, and also what an append in progress
 * looks like to a reader of a live log. Opening the log cuts it off by default and loses nothing that was
 * durable, so it is reported with a warning naming the file, byte offset, LSNs and bytes concerned, and the
 * exit code stays 0. Corruption, which opening the log refuses, is always an error.
 */
public final class WalTool {

    static final int OK = 0;
    static final int DAMAGED = 1;
    static final int USAGE = 2;

    private static final int ATTEMPTS = 3;

    static final String USAGE_TEXT = """
            Usage: java -jar replay-engine-<version>-tool.jar COMMAND DIR [OPTIONS]

            Inspects a GraphWAL directory (write-ahead log segments and snapshots). It only reads: it changes
            no file, takes no lock, and is safe while an application has the directory open; it then says
            so, and checks the log up to the record being written.

            Commands:
              verify DIR                        check every segment header, record checksum and LSN the way
                                                opening the log does, every snapshot in full, and that the
                                                newest snapshot plus the log rebuild the graph (in memory)
              dump DIR [--from LSN] [--to LSN]  print records: LSN, type, payload size, decoded mutations
              stats DIR                         list segments (size, LSN range) and snapshots (LSN, size,
                                                valid or not)
              help                              print this text
            """ + ArchiveCommands.USAGE_TEXT + """

            Exit codes: 0 all well (warnings, such as a torn tail, go to standard error),
                        1 damage found or a file unreadable, 2 usage error.
            """;

    private WalTool() {
    }

    /**
     * Runs the tool and exits the JVM with its exit code.
     *
     * @param args the command, the directory and options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool on the standard file layer.
     *
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, FileIO.standard());
    }

    /**
     * Runs the tool.
     *
     * @param io the file layer; only listing and opening for reading are used
     * @return the exit code
     */
    static int run(String[] args, PrintStream out, PrintStream err, FileIO io) {
        if (args.length > 0 && ArchiveCommands.handles(args[0])) {
            return ArchiveCommands.run(args, out, err, io);
        }
        Invocation invocation;
        try {
            invocation = Invocation.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wal: " + e.getMessage());
            err.println();
            err.print(USAGE_TEXT);
            err.flush();
            return USAGE;
        }
        if (invocation.command().equals("help")) {
            out.print(USAGE_TEXT);
            out.flush();
            return OK;
        }
        if (!Files.isDirectory(invocation.directory())) {
            err.println("wal: " + invocation.directory() + " is not a directory");
            err.flush();
            return USAGE;
        }
        for (int attempt = 1; ; attempt++) {
            Report report = new Report();
            try (PinnedFiles files = new PinnedFiles(io)) {
                if (invocation.command().equals("dump")) {
                    Dump dump = new Dump(files, invocation.directory(), invocation.from(), invocation.to());
                    // Only the scan can meet a vanished file (every file it opened stays open), and it prints
                    // nothing, so a dump starts over only before its first line.
                    WalInspector log = dump.scan();
                    try {
                        return dump.print(log, out, err);
                    } catch (WalException e) {
                        out.flush();
                        err.println("ERROR: " + e.getMessage());
                        err.flush();
                        return DAMAGED;
                    }
                }
                int code = invocation.command().equals("verify")
                        ? new Verify(files, invocation.directory()).run(report)
                        : new Stats(files, invocation.directory()).run(report);
                report.printTo(out, err);
                return code;
            } catch (IOException | WalException | Changed e) {
                boolean again = vanished(e) || e instanceof Changed;
                if (again && attempt < ATTEMPTS) {
                    continue; // a live checkpoint purged a segment or a snapshot: look again
                }
                Report failure = new Report();
                failure.error(e instanceof Changed ? e.getMessage() + ", " + ATTEMPTS + " times in a row. " + STOP_FIRST
                        : vanished(e) ? "files disappeared while they were read, " + ATTEMPTS + " times in a "
                        + "row (is a live application checkpointing very often?): " + e.getMessage()
                        : e instanceof IOException ? "cannot read " + invocation.directory() + ": " + e
                        : e.getMessage());
                failure.printTo(out, err);
                return DAMAGED;
            }
        }
    }

    /** The advice for anything found on a live directory: no repair while the application writes. */
    static final String STOP_FIRST = "Stop the application first and run verify again.";

    /**
     * The files of a live directory changed between two steps of a run in a way that makes what it read
     * inconsistent (a checkpoint purged the log past every snapshot it had listed); the run starts over.
     */
    static final class Changed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Changed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * "the directory is in use by a running GraphWAL (pid ...); the tail past LSN 310 is being written", for
     * a live directory; the records up to that LSN are what the run read and checked.
     */
    static String liveNotice(WalInspector log) {
        WalInspector.TornTail tail = log.liveTail();
        return "the directory is in use by a running GraphWAL (" + log.inUseBy() + "); the tail past LSN "
                + log.lastLsn() + " is being written" + (tail == null ? ""
                        : " (a write in progress at byte offset " + tail.offset() + " of " + tail.file() + ")")
                + ", so this run read the log up to LSN " + log.lastLsn() + " only";
    }

    /** " The directory is in use by a running GraphWAL (pid ...). Stop the application first ...", or "". */
    static String inUseAdvice(WalInspector log) {
        return log.inUseBy() == null ? ""
                : " The directory is in use by a running GraphWAL (" + log.inUseBy() + "). " + STOP_FIRST;
    }

    private static boolean vanished(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #decode} made of a record: its mutations, or why it does not decode. */
    record Decoded(List<Mutation> value, String problem) {
    }

    /** Decodes the reader's current record, consuming its payload view. */
    static Decoded decode(WalReader reader) {
        try {
            return new Decoded(MutationCodec.decode(reader.payload()), null);
        } catch (RuntimeException e) {
            return new Decoded(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The segment file that holds {@code lsn}, for messages. */
    static Path segmentOf(WalInspector log, long lsn) {
        Path file = null;
        for (WalInspector.SegmentInfo segment : log.segments()) {
            if (segment.firstLsn() <= lsn) {
                file = segment.file();
            }
        }
        return file;
    }

    /** "3 segments, 40000 bytes, LSN 1 to 310 (310 records)", counting verified bytes. */
    static String describeLog(WalInspector log) {
        long bytes = 0;
        for (WalInspector.SegmentInfo segment : log.segments()) {
            bytes += segment.verifiedBytes();
        }
        int count = log.segments().size();
        return count + " segment" + (count == 1 ? "" : "s") + ", " + bytes + " bytes, "
                + (log.records() == 0 ? "no records (next LSN " + log.firstLsn() + ")"
                        : "LSN " + log.firstLsn() + " to " + log.lastLsn() + " (" + log.records() + " records)");
    }

    /** What recovery would do with a torn tail, naming the file, byte offset, LSNs and bytes. */
    static String describe(WalInspector.TornTail torn) {
        String lsns = torn.fromLsn() == torn.toLsn() ? "LSN " + torn.fromLsn()
                : "LSN " + torn.fromLsn() + " to " + torn.toLsn();
        String what = torn.offset() == 0
                ? "torn tail: the last segment " + torn.file() + " (" + lsns + ") has an incomplete header: "
                        + torn.problem() + "; opening the log removes the file (" + torn.bytes() + " bytes)"
                : "torn tail in " + torn.file() + " at byte offset " + torn.offset() + " (" + lsns + "): "
                        + torn.problem() + "; opening the log cuts off these " + torn.bytes() + " bytes";
        return what + ", which no later record proves durable (or refuses to start with "
                + "graphwal.recovery.torn-tail=fail). A crash or power loss leaves such a tail.";
    }

    /** A parsed command line. {@code from} is -1 when not given, {@code to} is {@link Long#MAX_VALUE}. */
    record Invocation(String command, Path directory, long from, long to) {

        static Invocation parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("missing COMMAND");
            }
            String command = args[0];
            if (command.equals("help") || command.equals("-h") || command.equals("--help")) {
                return new Invocation("help", null, -1, Long.MAX_VALUE);
            }
            if (!List.of("verify", "dump", "stats").contains(command)) {
                throw new IllegalArgumentException("unknown command '" + command + "'");
            }
            Path directory = null;
            Long from = null;
            Long to = null;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith("-")) {
                    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    if (!command.equals("dump") || !(name.equals("--from") || name.equals("--to"))) {
                        throw new IllegalArgumentException("unknown option '" + name + "' for " + command);
                    }
                    String value;
                    if (arg.contains("=")) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(name + " needs an LSN");
                    }
                    long lsn = parseLsn(name, value);
                    if (name.equals("--from")) {
                        if (from != null) {
                            throw new IllegalArgumentException("--from given twice");
                        }
                        from = lsn;
                    } else {
                        if (to != null) {
                            throw new IllegalArgumentException("--to given twice");
                        }
                        to = lsn;
                    }
                } else if (directory == null) {
                    directory = Path.of(arg);
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
            }
            if (directory == null) {
                throw new IllegalArgumentException("missing DIR after " + command);
            }
            if (from != null && to != null && from > to) {
                throw new IllegalArgumentException("--from " + from + " is after --to " + to);
            }
            return new Invocation(command, directory, from == null ? -1 : from, to == null ? Long.MAX_VALUE : to);
        }

        private static long parseLsn(String option, String value) {
            return wholeNumber(option, value, "an LSN (a whole number from 1)");
        }
    }

    /**
     * Parses an option's value as a whole number from 1, the form every numeric option of the tool takes.
     *
     * @param what what the option needs, for the message, e.g. "an LSN (a whole number from 1)"
     * @throws IllegalArgumentException naming the option, what it needs and the value given
     */
    static long wholeNumber(String option, String value, String what) {
        try {
            long number = Long.parseLong(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs " + what + ", not '" + value + "'");
    }
}
