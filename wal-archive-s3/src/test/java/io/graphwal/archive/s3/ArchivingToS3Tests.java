package io.graphwal.archive.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveRestore;
import io.graphwal.io.FileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The engine's archiver and restore, unchanged, over an S3 target: what a graph archived to a bucket holds comes
 * back from the bucket alone, at its newest state and at an earlier LSN.
 */
class ArchivingToS3Tests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final S3ProxyExtension proxy = TestStore.proxy();

    @TempDir
    Path temp;

    private static DatabaseConfig plain(Path directory) {
        return new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.GROUP).segmentSize(8 * 1024)
                .maxRecordSize(2048).build(), 0, 2);
    }

    @Test
    void aGraphArchivedToABucketIsRestoredFromItAloneToItsNewestStateAndToAnEarlierLsn() throws Exception {
        TestStore.createBucket(proxy, "archive");
        Path live = temp.resolve("live");
        try (GraphDatabase db = GraphDatabase.open(plain(live).withArchive(
                ArchiveConfig.of(TestStore.target(proxy, "archive").prefix("graphs/orders").build()), false))) {
            for (int i = 1; i <= 60; i++) {
                int n = i;
                db.commit(tx -> tx.createNode(List.of("Order"), Map.of("n", (long) n)));
                if (i == 30) {
                    db.checkpoint();
                }
            }
            db.wal().flush();
            assertThat(db.archiver().awaitArchived(db.wal().durableLsn(), WAIT)).isTrue();
        }

        try (S3ArchiveTarget target = TestStore.target(proxy, "archive").prefix("graphs/orders").build()) {
            assertThat(target.list("")).isNotEmpty();
            assertThat(restoredNodes(target, "newest", ArchiveRestore.Point.newest())).isEqualTo(60);
            assertThat(restoredNodes(target, "at-10", new ArchiveRestore.Point(10, null, 0))).isEqualTo(10);
        }
    }

    private long restoredNodes(S3ArchiveTarget target, String name, ArchiveRestore.Point point) throws IOException {
        Path restored = temp.resolve(name);
        ArchiveRestore.restore(target, FileIO.standard(), restored, point);
        try (GraphDatabase db = GraphDatabase.open(plain(restored))) {
            return db.read(graph -> graph.nodeCount());
        }
    }
}
