package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.io.FileIO;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * What the archiver does when a segment seals: a busy log's large tails stay as they are, so no record is
 * shipped twice, while a quiet log's small tails are replaced by {@code .segment} objects; either way the local
 * log is purged behind what the archive holds and the archive restores to the newest LSN.
 *
 * <p>With 8 KiB segments a tail of 2 KiB or more counts as large. The lag is an hour, so that the archiver runs
 * a cycle only when the test asks for one and each tail holds exactly one round of commits.
 */
class ArchiveSealTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PAD = "p".repeat(400);

    @TempDir
    Path temp;

    /** Passes calls to a directory target and remembers the name of every object put. */
    private static final class RecordingTarget implements ArchiveTarget {
        private final ArchiveTarget delegate;
        final List<String> puts = new CopyOnWriteArrayList<>();

        RecordingTarget(ArchiveTarget delegate) {
            this.delegate = delegate;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void put(String name, ObjectContent content) throws IOException {
            delegate.put(name, content);
            puts.add(name);
        }

        @Override
        public List<StoredObject> list(String prefix) throws IOException {
            return delegate.list(prefix);
        }

        @Override
        public InputStream get(String name) throws IOException {
            return delegate.get(name);
        }

        @Override
        public void delete(String name) throws IOException {
            delegate.delete(name);
        }

        List<String> logPuts() {
            return puts.stream().filter(name -> name.contains("/log/")).toList();
        }
    }

    private DatabaseConfig config(Path directory, ArchiveTarget target) {
        WalConfig wal = WalConfig.builder(directory).syncMode(SyncMode.GROUP).segmentSize(8 * 1024)
                .maxRecordSize(2048).build();
        return new DatabaseConfig(wal, 0, 2).withArchive(ArchiveConfig.of(target).withMaxLag(Duration.ofHours(1)),
                false);
    }

    /** Commits {@code rounds} rounds of {@code perRound} transactions, archiving after each round. */
    private static void rounds(GraphDatabase db, int rounds, int perRound, String padding) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < perRound; i++) {
                db.commit(tx -> tx.createNode(List.of("Item"), Map.of("pad", padding)));
            }
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(db.wal().durableLsn(), WAIT)).isTrue();
        }
    }

    /** The LSN range an object name gives: {@code .../log/FIRST-LAST_...}. */
    private static long[] range(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        String[] lsns = file.substring(0, file.indexOf('_')).split("-");
        return new long[] {Long.parseLong(lsns[0]), Long.parseLong(lsns[1])};
    }

    private static void assertEachLsnShippedOnce(List<String> logPuts, long lastLsn) {
        long next = 1;
        for (long[] range : logPuts.stream().map(ArchiveSealTest::range)
                .sorted(java.util.Comparator.comparingLong(r -> r[0])).toList()) {
            assertThat(range[0]).as("objects put %s", logPuts).isEqualTo(next);
            next = range[1] + 1;
        }
        assertThat(next - 1).isEqualTo(lastLsn);
    }

    @Test
    void largeTailsAreKeptWhenTheirSegmentsSealSoNoRecordIsShippedTwice() throws Exception {
        RecordingTarget target = new RecordingTarget(new DirectoryArchiveTarget(temp.resolve("archive")));
        Path live = temp.resolve("live");
        try (GraphDatabase db = GraphDatabase.open(config(live, target))) {
            assertThat(db.archiver().awaitArchived(0, WAIT)).isTrue();
            rounds(db, 12, 8, PAD);
            assertThat(db.wal().sealedLsn()).as("segments sealed").isGreaterThan(3 * 8);
            assertThat(db.checkpoint().segmentsPurged()).as("purged behind the kept tails").isPositive();
        }
        List<String> first = List.copyOf(target.logPuts());
        assertThat(first).as("a tail kept across a seal").anyMatch(name -> name.endsWith(".tail")
                && range(name)[1] <= 3 * 8);
        assertEachLsnShippedOnce(first, 96);
        assertThat(target.list("").stream().filter(o -> o.name().contains("/log/")).map(o -> o.name()))
                .as("nothing deleted").containsExactlyInAnyOrderElementsOf(first);

        // A restart decides from the listing alone which tails are kept: it ships nothing it shipped before.
        try (GraphDatabase db = GraphDatabase.open(config(live, target))) {
            rounds(db, 3, 8, PAD);
            db.checkpoint();
            rounds(db, 3, 8, PAD);
            // Two snapshots are kept, so the second checkpoint purges up to the first one's LSN.
            assertThat(db.checkpoint().segmentsPurged()).as("purged behind the kept tails").isPositive();
        }
        assertEachLsnShippedOnce(target.logPuts(), 144);
        assertRestoresTo(target, live, 144);
    }

    @Test
    void smallTailsAreReplacedBySegmentObjectsOnceTheirSegmentsSeal() throws Exception {
        RecordingTarget target = new RecordingTarget(new DirectoryArchiveTarget(temp.resolve("archive")));
        Path live = temp.resolve("live");
        try (GraphDatabase db = GraphDatabase.open(config(live, target))) {
            assertThat(db.archiver().awaitArchived(0, WAIT)).isTrue();
            rounds(db, 60, 1, "q".repeat(200));
            assertThat(db.wal().sealedLsn()).as("segments sealed").isGreaterThan(20);
            assertThat(db.checkpoint().segmentsPurged()).as("purged behind the segment objects").isPositive();
        }
        List<ArchiveTarget.StoredObject> held = target.list("").stream()
                .filter(o -> o.name().contains("/log/")).toList();
        long lastSegment = held.stream().filter(o -> o.name().endsWith(".segment")).mapToLong(o -> range(o.name())[1])
                .max().orElse(0);
        assertThat(lastSegment).as("segment objects shipped").isPositive();
        assertThat(held).as("no small tail left that segment objects cover")
                .allMatch(o -> o.name().endsWith(".segment") || range(o.name())[1] > lastSegment);
        assertThat(held.size()).as("tails deleted").isLessThan(target.logPuts().size());
        assertRestoresTo(target, live, 60);
    }

    private static String dump(io.graphwal.graph.GraphView view) {
        return view.nodeCount() + " " + view.nodesWithLabel("Item").stream()
                .map(node -> node.id() + "=" + node.properties()).sorted().toList();
    }

    private void assertRestoresTo(ArchiveTarget target, Path live, long lsn) throws Exception {
        Path restored = temp.resolve("restored");
        assertThat(ArchiveRestore.restore(target, FileIO.standard(), restored, ArchiveRestore.Point.newest()).lsn())
                .isEqualTo(lsn);
        DatabaseConfig plain = new DatabaseConfig(WalConfig.builder(live).segmentSize(8 * 1024).maxRecordSize(2048)
                .build(), 0, 2);
        String expected;
        try (GraphDatabase db = GraphDatabase.open(plain)) {
            expected = db.read(ArchiveSealTest::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(restored)
                .segmentSize(8 * 1024).maxRecordSize(2048).build(), 0, 2))) {
            assertThat(db.read(ArchiveSealTest::dump)).isEqualTo(expected);
        }
    }
}
