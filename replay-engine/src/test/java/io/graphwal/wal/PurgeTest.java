package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.ObservedFileIO;

/** Purge removes exactly the segments wholly at or below an LSN, oldest first, and never the active one. */
class PurgeTest {

    @TempDir
    Path dir;

    private final ObservedFileIO io = new ObservedFileIO();

    private WalConfig config() {
        return WalConfig.builder(dir).syncMode(SyncMode.NONE).segmentSize(1024).maxRecordSize(256).fileIO(io).build();
    }

    @Test
    void deletesSegmentsWhollyAtOrBelowTheLsnAndKeepsTheRest() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(config())) {
            for (int i = 1; i <= 300; i++) {
                wal.append(TYPE, payload("p" + i));
            }
            Segment[] before = wal.segments();
            long cut = before[3].lastLsn() + 2; // inside the fifth segment
            int deleted = wal.purgeUpTo(cut);
            assertThat(deleted).isEqualTo(4);
            assertThat(wal.firstLsn()).isEqualTo(before[4].firstLsn());
            assertThat(segmentNames()).doesNotContain(before[0].path().getFileName().toString(),
                    before[3].path().getFileName().toString()).contains(before[4].path().getFileName().toString());
            List<String> deletions = io.events.stream().filter(e -> e.startsWith("delete ")).toList();
            assertThat(deletions).containsExactly("delete " + before[0].path().getFileName(),
                    "delete " + before[1].path().getFileName(), "delete " + before[2].path().getFileName(),
                    "delete " + before[3].path().getFileName());
            assertThat(io.events).last().isEqualTo("syncDirectory");
            assertThat(wal.purgeUpTo(cut)).isZero();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config())) {
            long first = wal.firstLsn();
            assertThat(wal.recovery().firstLsn()).isEqualTo(first);
            assertThat(readAll(wal, first)).isEqualTo(expected(first, 300, "p"));
            assertThat(wal.append(TYPE, payload("p301"))).isEqualTo(301);
        }
    }

    @Test
    void neverDeletesTheActiveSegment() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(config())) {
            for (int i = 1; i <= 100; i++) {
                wal.append(TYPE, payload("p" + i));
            }
            wal.purgeUpTo(Long.MAX_VALUE);
            assertThat(wal.segments()).hasSize(1);
            assertThat(segmentNames()).hasSize(1);
            long first = wal.firstLsn();
            assertThat(readAll(wal, first)).isEqualTo(expected(first, 100, "p"));
            assertThat(wal.append(TYPE, payload("p101"))).isEqualTo(101);
        }
    }

    private List<String> segmentNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted().toList();
        }
    }
}
