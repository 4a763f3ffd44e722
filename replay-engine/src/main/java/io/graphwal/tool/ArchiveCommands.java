package io.graphwal.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.graphwal.archive.ArchiveCatalog;
import io.graphwal.archive.ArchiveException;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.ArchiveTargets;
import io.graphwal.io.FileIO;

/**
 * The tool's archive commands: {@code restore}, which writes a new directory from an archive, and
 * {@code archive-list}, which prints what an archive holds. Unlike the inspection commands they reach an
 * archive (a directory, or S3 when the {@code wal-archive-s3} module is on the class path).
 */
final class ArchiveCommands {

    static final String USAGE_TEXT = """
              restore --from SOURCE --to DIR [--lsn N | --time ISO-8601] [--timeline ID]
                                                rebuild DIR (missing or empty) from an archive: its newest
                                                state, exactly LSN N, or the last transaction committed at
                                                or before the time; checks every checksum
              archive-list SOURCE               print the archive's timelines, snapshots and LSN ranges
                SOURCE is file:DIR or s3://BUCKET/PREFIX; for S3 also --s3-endpoint URL, --s3-region R,
                --s3-path-style (credentials from the AWS default chain)
            """;

    private ArchiveCommands() {
    }

    static boolean handles(String command) {
        return command.equals("restore") || command.equals("archive-list");
    }

    static int run(String[] args, PrintStream out, PrintStream err, FileIO io) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wal: " + e.getMessage());
            err.println();
            err.print(WalTool.USAGE_TEXT);
            err.flush();
            return WalTool.USAGE;
        }
        try (ArchiveTarget target = ArchiveTargets.open(options.source(), options.targetOptions())) {
            if (options.command().equals("archive-list")) {
                out.println("archive " + target.describe());
                for (String line : ArchiveCatalog.read(target).describe()) {
                    out.println(line);
                }
                out.flush();
                return WalTool.OK;
            }
            ArchiveRestore.Report report = ArchiveRestore.restore(target, io, options.directory(),
                    new ArchiveRestore.Point(options.lsn(), options.time(), options.timeline()));
            out.println("restored " + options.directory() + " from " + target.describe() + " timeline "
                    + report.timeline() + " to LSN " + report.lsn() + " (snapshot LSN " + report.snapshotLsn()
                    + " and " + report.records() + " log records, " + report.bytes() + " bytes read, in "
                    + report.duration().toMillis() + " ms)");
            out.flush();
            return WalTool.OK;
        } catch (IllegalArgumentException e) {
            err.println("wal: " + e.getMessage());
            err.flush();
            return WalTool.USAGE;
        } catch (ArchiveException e) {
            err.println("ERROR: " + e.getMessage());
            err.flush();
            return WalTool.DAMAGED;
        } catch (IOException e) {
            err.println("ERROR: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return WalTool.DAMAGED;
        }
    }

    /** A parsed archive command line. */
    record Options(String command, String source, Path directory, long lsn, Instant time, long timeline,
            Map<String, String> targetOptions) {

        static Options parse(String[] args) {
            String command = args[0];
            String source = null;
            Path directory = null;
            long lsn = 0;
            Instant time = null;
            long timeline = 0;
            Map<String, String> target = new LinkedHashMap<>();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    if (command.equals("archive-list") && source == null) {
                        source = arg;
                        continue;
                    }
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (name.equals("--s3-path-style")) {
                    target.put("path-style", "true");
                    continue;
                }
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                switch (name) {
                    case "--from" -> source = restoreOnly(command, name, value);
                    case "--to" -> directory = Path.of(restoreOnly(command, name, value));
                    case "--lsn" -> lsn = number(restoreOnly(command, name, value), name);
                    case "--timeline" -> timeline = number(restoreOnly(command, name, value), name);
                    case "--time" -> {
                        try {
                            time = Instant.parse(restoreOnly(command, name, value));
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("--time needs an ISO-8601 instant such as "
                                    + "2026-12-02T18:30:00Z, not '" + value + "'");
                        }
                    }
                    case "--s3-endpoint" -> target.put("endpoint", value);
                    case "--s3-region" -> target.put("region", value);
                    default -> throw new IllegalArgumentException("unknown option '" + name + "' for " + command);
                }
            }
            if (source == null) {
                throw new IllegalArgumentException(command.equals("restore") ? "restore needs --from SOURCE"
                        : "archive-list needs SOURCE");
            }
            if (command.equals("restore") && directory == null) {
                throw new IllegalArgumentException("restore needs --to DIR");
            }
            if (lsn > 0 && time != null) {
                throw new IllegalArgumentException("give --lsn or --time, not both");
            }
            return new Options(command, source, directory, lsn, time, timeline, target);
        }

        private static String restoreOnly(String command, String option, String value) {
            if (!command.equals("restore")) {
                throw new IllegalArgumentException("unknown option '" + option + "' for " + command);
            }
            return value;
        }

        private static long number(String value, String option) {
            return WalTool.wholeNumber(option, value, "a whole number from 1");
        }
    }
}
