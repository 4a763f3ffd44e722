package io.graphwal.reliability;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveListener;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The process that {@link ArchiveCrashLoopTest} kills: opens a database that archives into a directory and
 * commits from several threads until killed. Each transaction creates one node carrying its name, so the
 * graph at LSN N holds exactly N nodes.
 *
 * <p>Arguments: {@code DIR ARCHIVE_DIR CYCLE THREADS WRITE_FOR_MILLIS}; with a positive last one the writers
 * stop that long after {@code READY} and the process idles until killed, so its newest transactions stay in
 * the active segment, which only the archiver's tail uploads ship. Lines: {@code READY}; per transaction {@code A <tx>}
 * before its commit and {@code D <tx> <lsn>} once it is durable; and {@code ARCHIVED <lsn>} each time the
 * archiver reports that everything up to {@code lsn} is in the archive. Threads: writers
 * {@code archive-writer-N} and the reporter {@code archive-reporter}, never joined (the process is killed).
 */
final class ArchiveCrashChild {

    static final Duration MAX_LAG = Duration.ofMillis(50);

    private ArchiveCrashChild() {
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Long.parseLong(args[4]));
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }

    static DatabaseConfig config(Path dir, Path archive) {
        DatabaseConfig base = new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.GROUP)
                .groupInterval(Duration.ofMillis(2)).segmentSize(32 * 1024).maxRecordSize(4096).build(), 300, 2);
        return archive == null ? base : base.withArchive(new ArchiveConfig(new DirectoryArchiveTarget(archive),
                MAX_LAG, ArchiveConfig.DEFAULT_RETENTION, ArchiveListener.NONE, Clock.systemUTC()), false);
    }

    private static void run(Path dir, Path archive, int cycle, int threads, long writeForMillis) {
        GraphDatabase db = GraphDatabase.open(config(dir, archive));
        ChildReport.say("READY");
        Thread reporter = new Thread(() -> report(db), "archive-reporter");
        reporter.setDaemon(false);
        reporter.start();
        for (int t = 0; t < threads; t++) {
            String prefix = "c" + cycle + "t" + t + "n";
            long until = writeForMillis > 0 ? System.nanoTime() + writeForMillis * 1_000_000 : Long.MAX_VALUE;
            Thread writer = new Thread(() -> write(db, prefix, until), "archive-writer-" + t);
            writer.setDaemon(false);
            writer.start();
        }
    }

    private static void write(GraphDatabase db, String prefix, long untilNanos) {
        try {
            for (long n = 0; System.nanoTime() < untilNanos; n++) {
                String tx = prefix + n;
                ChildReport.say("A " + tx);
                var commit = db.commit(t -> t.createNode(List.of("Archived"), Map.of("tx", tx)));
                commit.durable().get(60, java.util.concurrent.TimeUnit.SECONDS);
                ChildReport.say("D " + tx + " " + commit.lsn());
            }
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }

    private static void report(GraphDatabase db) {
        try {
            long reported = -1;
            while (true) {
                db.archiver().awaitArchived(reported + 1, Duration.ofSeconds(1));
                long archived = db.archiver().status().archivedLsn();
                if (archived > reported) {
                    ChildReport.say("ARCHIVED " + archived);
                    reported = archived;
                }
            }
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }
}
