package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveCorruptException;
import io.graphwal.archive.ArchiveException;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.archive.FaultyArchiveTarget;
import io.graphwal.graph.MutationCodec;
import io.graphwal.io.FileIO;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalReader;

/**
 * A graph archived as it is written restores, from the archive alone, to exactly its state at any LSN or
 * time the archive holds; a restore refuses what it cannot trust, naming it.
 */
class ArchiveRestoreTest {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRestoreTest.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private static WalConfig wal(Path directory) {
        return WalConfig.builder(directory).syncMode(SyncMode.GROUP).segmentSize(8 * 1024).maxRecordSize(2048)
                .build();
    }

    private static DatabaseConfig plain(Path directory) {
        return new DatabaseConfig(wal(directory), 0, 2);
    }

    private static DatabaseConfig archived(Path directory, ArchiveTarget target) {
        return plain(directory).withArchive(ArchiveConfig.of(target), false);
    }

    /** A workload run to completion with an archive: the dump after each LSN (index = LSN) and commit times. */
    private record Run(RandomGraphWorkload workload, List<String> dumps, List<Long> commitMicros) {
    }

    private static Run archivedRun(long seed, Path directory, ArchiveTarget target, int transactions)
            throws InterruptedException {
        RandomGraphWorkload workload = new RandomGraphWorkload(seed);
        List<String> dumps = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        try (GraphDatabase db = GraphDatabase.open(archived(directory, target))) {
            dumps.add(db.read(workload::dump));
            for (int i = 1; i <= transactions; i++) {
                workload.step(db);
                dumps.add(db.read(workload::dump));
                if (i % 70 == 0) {
                    db.checkpoint();
                }
                if (i % 25 == 0) {
                    // A cycle now and then, so that the archive holds tails and segments that overlap.
                    db.wal().flush();
                    assertThat(db.archiver().awaitArchived(i, WAIT)).isTrue();
                }
            }
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(db.wal().durableLsn(), WAIT)).isTrue();
            assertThat(db.wal().durableLsn()).isEqualTo(transactions);
            times.add(0L);
            try (WalReader reader = db.wal().reader(db.wal().firstLsn())) {
                while (reader.next()) {
                    times.add(MutationCodec.commitTimeMicros(reader.payload()));
                }
            }
        }
        return new Run(workload, dumps, times);
    }

    private static String restoredDump(Path restored, RandomGraphWorkload workload) {
        // The finished workload knows every id ever created; ids above those created by the restored LSN are
        // absent there, so its dump equals the one taken live at that LSN.
        try (GraphDatabase db = GraphDatabase.open(plain(restored))) {
            return db.read(workload::dump);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void restoringToEveryLsnGivesTheLiveGraphAtThatLsn(long seed) throws Exception {
        log.info("seed {}", seed);
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        Run run = archivedRun(seed, temp.resolve("live"), target, 220);
        String graphId = GraphDatabaseIds.of(temp.resolve("live"));
        for (long lsn = 1; lsn < run.dumps().size(); lsn++) {
            Path restored = temp.resolve("restored-" + lsn);
            ArchiveRestore.Report report = ArchiveRestore.restore(target, FileIO.standard(), restored,
                    new ArchiveRestore.Point(lsn, null, 0));
            assertThat(report.lsn()).isEqualTo(lsn);
            assertThat(report.graphId()).isEqualTo(graphId);
            assertThat(restoredDump(restored, run.workload())).as("seed %d, LSN %d", seed, lsn)
                    .isEqualTo(run.dumps().get((int) lsn));
            deleteTree(restored);
        }
        Path newest = temp.resolve("newest");
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), newest, ArchiveRestore.Point.newest()).lsn())
                .isEqualTo(220);
        assertThat(restoredDump(newest, run.workload())).isEqualTo(run.dumps().get(220));
    }

    @Test
    void restoringToATimeStopsBeforeTheFirstTransactionCommittedAfterIt() throws Exception {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        Run run = archivedRun(21, temp.resolve("live"), target, 160);
        List<Long> times = run.commitMicros();
        for (int lsn = 1; lsn < times.size(); lsn += 7) {
            long micros = times.get(lsn);
            int expected = lsn;
            while (expected + 1 < times.size() && times.get(expected + 1) <= micros) {
                expected++;
            }
            Path restored = temp.resolve("at-" + lsn);
            Instant time = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
            ArchiveRestore.Report report = ArchiveRestore.restore(target, FileIO.standard(), restored,
                    new ArchiveRestore.Point(0, time, 0));
            assertThat(report.lsn()).as("time of LSN %d", lsn).isEqualTo(expected);
            assertThat(restoredDump(restored, run.workload())).isEqualTo(run.dumps().get(expected));
            deleteTree(restored);
        }
        // Before the first transaction the graph was empty, and the log from LSN 1 restores that too.
        ArchiveRestore.Report early = ArchiveRestore.restore(target, FileIO.standard(), temp.resolve("early"),
                new ArchiveRestore.Point(0, Instant.EPOCH, 0));
        assertThat(early.lsn()).isZero();
        assertThat(restoredDump(temp.resolve("early"), run.workload())).isEqualTo(run.dumps().get(0));
    }

    @Test
    void aMissingObjectIsNamedAndNothingIsLeftBehind() throws Exception {
        Path archive = temp.resolve("archive");
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(archive);
        archivedRun(31, temp.resolve("live"), target, 120);
        List<ArchiveTarget.StoredObject> log = logObjects(target);
        assertThat(log.size()).isGreaterThan(2);
        ArchiveTarget.StoredObject middle = log.get(log.size() / 2);
        target.delete(middle.name());
        Path restored = temp.resolve("restored");
        assertThatThrownBy(() -> ArchiveRestore.restore(target, FileIO.standard(), restored,
                new ArchiveRestore.Point(120, null, 0)))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("missing");
        assertThat(restored).doesNotExist();
    }

    @Test
    void everyFlippedByteOfAnObjectIsRefusedNamingIt() throws Exception {
        Path archive = temp.resolve("archive");
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(archive);
        archivedRun(41, temp.resolve("live"), target, 12);
        List<ArchiveTarget.StoredObject> log = logObjects(target);
        ArchiveTarget.StoredObject object = log.get(0);
        Path file = archive.resolve(object.name());
        byte[] original = Files.readAllBytes(file);
        for (int i = 0; i < original.length; i++) {
            byte[] damaged = original.clone();
            damaged[i] ^= (byte) (1 << (i % 8));
            Files.write(file, damaged);
            Path restored = temp.resolve("restored-" + i);
            int offset = i;
            assertThatThrownBy(() -> ArchiveRestore.restore(target, FileIO.standard(), restored,
                    ArchiveRestore.Point.newest()))
                    .as("byte %d of %d", offset, original.length)
                    .isInstanceOf(ArchiveCorruptException.class).hasMessageContaining(object.name());
            assertThat(restored).doesNotExist();
        }
        Files.write(file, original);
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), temp.resolve("intact"),
                ArchiveRestore.Point.newest()).lsn()).isEqualTo(12);
    }

    @Test
    void anObjectOfAnotherGraphIsRefusedNamingIt() throws Exception {
        DirectoryArchiveTarget mine = new DirectoryArchiveTarget(temp.resolve("mine"));
        DirectoryArchiveTarget theirs = new DirectoryArchiveTarget(temp.resolve("theirs"));
        archivedRun(51, temp.resolve("a"), mine, 10);
        archivedRun(52, temp.resolve("b"), theirs, 10);
        ArchiveTarget.StoredObject foreign = logObjects(theirs).get(0);
        ArchiveTarget.StoredObject own = logObjects(mine).get(0);
        Files.copy(temp.resolve("theirs").resolve(foreign.name()), temp.resolve("mine").resolve(own.name()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> ArchiveRestore.restore(mine, FileIO.standard(), temp.resolve("restored"),
                ArchiveRestore.Point.newest()))
                .isInstanceOf(ArchiveCorruptException.class).hasMessageContaining(own.name())
                .hasMessageContaining("foreign");
    }

    @Test
    void aRestoreRefusesANonEmptyDirectory() throws Exception {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        archivedRun(61, temp.resolve("live"), target, 5);
        Path occupied = Files.createDirectories(temp.resolve("occupied"));
        Files.writeString(occupied.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> ArchiveRestore.restore(target, FileIO.standard(), occupied,
                ArchiveRestore.Point.newest()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("not empty");
        assertThat(Files.readString(occupied.resolve("notes.txt"))).isEqualTo("keep me");
    }

    @Test
    void anEmptyDirectoryComesBackByItselfWithRestoreIfEmpty() throws Exception {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        Run run = archivedRun(71, temp.resolve("lost"), target, 150);
        String graphId = GraphDatabaseIds.of(temp.resolve("lost"));
        Path fresh = temp.resolve("fresh");
        try (GraphDatabase db = GraphDatabase.open(plain(fresh).withArchive(ArchiveConfig.of(target), true))) {
            assertThat(db.wal().appendedLsn()).isEqualTo(150);
            assertThat(db.wal().graphId()).isEqualTo(graphId);
            assertThat(db.read(run.workload()::dump)).isEqualTo(run.dumps().get(150));
            // The restored copy writes a new timeline, so the history it came from stays as it was.
            assertThat(db.archiver().awaitArchived(150, WAIT)).isTrue();
            assertThat(db.archiver().status().timeline()).isEqualTo(2);
        }
    }

    @Test
    void anEmptyDirectoryPointedAtAnArchiveWithoutRestoreIfEmptyIsRefused() throws Exception {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        archivedRun(81, temp.resolve("first"), target, 5);
        assertThatThrownBy(() -> GraphDatabase.open(archived(temp.resolve("second"), target)))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("restore-if-empty");
        archivedRun(82, temp.resolve("other"), new DirectoryArchiveTarget(temp.resolve("elsewhere")), 5);
        assertThatThrownBy(() -> GraphDatabase.open(archived(temp.resolve("other"), target)))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("holds graph");
    }

    @Test
    void aRestoredGraphForksANewTimelineAndTheOldHistoryStaysRestorable() throws Exception {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(temp.resolve("archive"));
        Run run = archivedRun(91, temp.resolve("live"), target, 100);
        Path fork = temp.resolve("fork");
        ArchiveRestore.restore(target, FileIO.standard(), fork, new ArchiveRestore.Point(40, null, 0));
        try (GraphDatabase db = GraphDatabase.open(archived(fork, target))) {
            db.commit(tx -> tx.createNode(List.of("Fork"), Map.of()));
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(41, WAIT)).isTrue();
            assertThat(db.archiver().status().timeline()).isEqualTo(2);
        }
        Path old = temp.resolve("old");
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), old, new ArchiveRestore.Point(0, null, 1)).lsn())
                .isEqualTo(100);
        assertThat(restoredDump(old, run.workload())).isEqualTo(run.dumps().get(100));
        Path newest = temp.resolve("newest");
        ArchiveRestore.Report report = ArchiveRestore.restore(target, FileIO.standard(), newest,
                ArchiveRestore.Point.newest());
        assertThat(report.timeline()).isEqualTo(2);
        assertThat(report.lsn()).isEqualTo(41);
    }

    @Test
    void aFailingArchiveNeverCostsACommitAndHoldsPurgeUntilItCatchesUp() throws Exception {
        FaultyArchiveTarget target = new FaultyArchiveTarget(new DirectoryArchiveTarget(temp.resolve("archive")));
        Path live = temp.resolve("live");
        RandomGraphWorkload workload = new RandomGraphWorkload(101);
        try (GraphDatabase db = GraphDatabase.open(archived(live, target))) {
            assertThat(db.archiver().awaitArchived(0, WAIT)).isTrue();
            target.failAlways(true);
            for (int i = 0; i < 600; i++) {
                workload.step(db);
            }
            db.wal().flush();
            int segments = db.wal().status().segmentCount();
            assertThat(segments).isGreaterThan(2);
            assertThat(db.checkpoint().segmentsPurged()).as("purge waits for the archive").isZero();
            db.archiver().requestUpload();
            awaitCondition(() -> db.archiver().status().lastError() != null);
            assertThat(db.archiver().status().lastError().message()).contains("injected failure");
            assertThat(db.archiver().status().archivedLsn()).isLessThan(600);
            target.failAlways(false);
            assertThat(db.archiver().awaitArchived(600, WAIT)).isTrue();
            assertThat(db.checkpoint().segmentsPurged()).as("purged once archived").isPositive();
        }
    }

    @Test
    void aHeldUploadDoesNotStallCommits() throws Exception {
        FaultyArchiveTarget target = new FaultyArchiveTarget(new DirectoryArchiveTarget(temp.resolve("archive")));
        try (GraphDatabase db = GraphDatabase.open(archived(temp.resolve("live"), target))) {
            assertThat(db.archiver().awaitArchived(0, WAIT)).isTrue();
            target.holdPuts();
            db.commit(tx -> tx.createNode(List.of("A"), Map.of()));
            db.wal().flush();
            db.archiver().requestUpload();
            assertThat(target.awaitHeldPut()).isTrue();
            for (int i = 0; i < 100; i++) {
                db.commit(tx -> tx.createNode(List.of("B"), Map.of()));
            }
            assertThat(db.wal().appendedLsn()).isEqualTo(101);
            target.openPuts();
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(101, WAIT)).isTrue();
        }
    }

    @ParameterizedTest(name = "deaf to interrupts: {0}")
    @ValueSource(booleans = {false, true})
    void aCallThatHangsCountsAsFailedAfterTheAttemptTimeoutAndTheArchiveCatchesUpOnceItReturns(boolean deaf)
            throws Exception {
        FaultyArchiveTarget target = new FaultyArchiveTarget(new DirectoryArchiveTarget(temp.resolve("archive")));
        DatabaseConfig config = plain(temp.resolve("live")).withArchive(ArchiveConfig.of(target)
                .withAttemptTimeout(Duration.ofMillis(100)), false);
        try (GraphDatabase db = GraphDatabase.open(config)) {
            assertThat(db.archiver().awaitArchived(0, WAIT)).isTrue();
            target.holdPuts(deaf);
            db.commit(tx -> tx.createNode(List.of("A"), Map.of()));
            db.wal().flush();
            db.archiver().requestUpload();
            assertThat(target.awaitHeldPut()).isTrue();
            awaitCondition(() -> db.archiver().status().lastError() != null);
            assertThat(db.archiver().status().lastError().message()).contains("did not complete within 100 ms");
            for (int i = 0; i < 50; i++) {
                db.commit(tx -> tx.createNode(List.of("B"), Map.of()));
            }
            db.wal().flush();
            assertThat(db.archiver().status().archivedLsn()).isZero();
            target.openPuts();
            assertThat(db.archiver().awaitArchived(51, WAIT)).isTrue();
        }
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), temp.resolve("restored"),
                ArchiveRestore.Point.newest()).lsn()).isEqualTo(51);
    }

    @Test
    void aListingThatMissesObjectsMakesTheArchiverShipThemAgainNotLoseThem() throws Exception {
        Path archive = temp.resolve("archive");
        FaultyArchiveTarget target = new FaultyArchiveTarget(new DirectoryArchiveTarget(archive));
        Path live = temp.resolve("live");
        archivedRun(111, live, target, 60);
        target.hideFromListings(name -> name.contains("/log/"));
        try (GraphDatabase db = GraphDatabase.open(archived(live, target))) {
            db.commit(tx -> tx.createNode(List.of("Late"), Map.of()));
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(61, WAIT)).isTrue();
        }
        target.hideFromListings(name -> false);
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), temp.resolve("restored"),
                ArchiveRestore.Point.newest()).lsn()).isEqualTo(61);
    }

    /** Waits, with a generous bound, for something another thread will make true. */
    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<ArchiveTarget.StoredObject> logObjects(ArchiveTarget target) throws IOException {
        return target.list("").stream().filter(o -> o.name().contains("/log/")).toList();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The graph id a closed directory holds. */
    private static final class GraphDatabaseIds {
        static String of(Path directory) throws IOException {
            return Files.readString(directory.resolve("graph.id")).trim();
        }
    }
}
