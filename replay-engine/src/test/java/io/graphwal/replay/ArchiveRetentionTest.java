package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveException;
import io.graphwal.archive.ArchiveListener;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.MemoryArchiveTarget;
import io.graphwal.io.FileIO;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Retention in the archive: once the window has moved past a snapshot, what only earlier points needed is
 * deleted, whether or not a new snapshot was uploaded since, and every point inside the window still restores.
 * The archiver's clock is the test's; commit times are real, so the test moves the archiver's clock to just
 * past the moments it noted between the phases of the workload.
 */
class ArchiveRetentionTest {

    private static final Duration RETENTION = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    /** A clock the test sets; read by the archiver thread. */
    private static final class SetClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void objectsOutsideTheWindowGoWithoutANewSnapshotAndTheWindowStaysRestorable() throws Exception {
        MemoryArchiveTarget target = new MemoryArchiveTarget();
        SetClock clock = new SetClock();
        // A long max-lag: cycles run when the test asks for them, so nothing here races a timed one.
        ArchiveConfig archive = new ArchiveConfig(target, Duration.ofHours(1), RETENTION, ArchiveListener.NONE,
                clock);
        Path live = temp.resolve("live");
        DatabaseConfig config = new DatabaseConfig(WalConfig.builder(live).syncMode(SyncMode.GROUP)
                .segmentSize(4 * 1024).maxRecordSize(2048).build(), 0, 2).withArchive(archive, false);
        Instant afterFirstSnapshot;
        Instant afterSecondSnapshot;
        try (GraphDatabase db = GraphDatabase.open(config)) {
            commit(db, 40);
            db.checkpoint();
            archiveEverything(db);
            awaitCondition(() -> snapshotLsns(target).contains(40L));
            afterFirstSnapshot = momentAfterNow();
            commit(db, 40);
            db.checkpoint();
            archiveEverything(db);
            awaitCondition(() -> snapshotLsns(target).contains(80L));
            afterSecondSnapshot = momentAfterNow();
            commit(db, 20);
            archiveEverything(db);
            assertThat(oldestLogLsn(target)).isEqualTo(1);

            // The window opens between the two snapshots: the first is the oldest base kept, so the log
            // objects wholly before it go, and nothing else.
            clock.set(afterFirstSnapshot.plus(RETENTION));
            db.archiver().requestUpload();
            awaitCondition(() -> oldestLogLsn(target) > 1);
            assertThat(snapshotLsns(target)).containsExactly(40L, 80L);
            assertThat(oldestLogLsn(target)).isLessThanOrEqualTo(41);

            // No checkpoint since: the window moving past the second snapshot is enough.
            clock.set(afterSecondSnapshot.plus(RETENTION));
            db.archiver().requestUpload();
            awaitCondition(() -> snapshotLsns(target).equals(List.of(80L)));
            awaitCondition(() -> oldestLogLsn(target) > 41);
            assertThat(oldestLogLsn(target)).isLessThanOrEqualTo(81);
        }

        Path newest = temp.resolve("newest");
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), newest, ArchiveRestore.Point.newest()).lsn())
                .isEqualTo(100);
        Path inWindow = temp.resolve("in-window");
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), inWindow,
                new ArchiveRestore.Point(90, null, 0)).lsn()).isEqualTo(90);
        assertThatThrownBy(() -> ArchiveRestore.restore(target, FileIO.standard(), temp.resolve("too-old"),
                new ArchiveRestore.Point(60, null, 0)))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("60");
    }

    private static void commit(GraphDatabase db, int transactions) {
        for (int i = 0; i < transactions; i++) {
            db.commit(tx -> tx.createNode(List.of("Kept"), Map.of("pad", "x".repeat(100))));
        }
    }

    private static void archiveEverything(GraphDatabase db) throws InterruptedException {
        db.wal().flush();
        assertThat(db.archiver().awaitArchived(db.wal().durableLsn(), WAIT)).isTrue();
    }

    /**
     * An instant after every commit time taken so far and before every later one, a millisecond clear of both
     * (the archiver's window is reckoned in milliseconds).
     */
    private static Instant momentAfterNow() throws InterruptedException {
        Instant moment = Instant.now().plusMillis(1);
        awaitCondition(() -> Instant.now().isAfter(moment.plusMillis(1)));
        return moment;
    }

    private static List<Long> snapshotLsns(ArchiveTarget target) {
        return objects(target).stream().filter(name -> name.endsWith(".snap"))
                .map(name -> Long.parseLong(name.substring(name.lastIndexOf('/') + 1, name.indexOf('_',
                        name.lastIndexOf('/')))))
                .sorted().toList();
    }

    private static long oldestLogLsn(ArchiveTarget target) {
        return objects(target).stream().filter(name -> name.contains("/log/"))
                .mapToLong(name -> Long.parseLong(name.substring(name.lastIndexOf('/') + 1, name.indexOf('-',
                        name.lastIndexOf('/')))))
                .min().orElse(Long.MAX_VALUE);
    }

    private static List<String> objects(ArchiveTarget target) {
        try {
            return target.list("").stream().map(ArchiveTarget.StoredObject::name).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits, with a generous bound, for something the archiver thread will make true. */
    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
