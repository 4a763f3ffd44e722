package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static io.graphwal.wal.WalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.ObservedFileIO;

/** Reading from any LSN across segments, seeking through the offset index, and tailing a live log. */
class WalReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsFromArbitraryLsnsAcrossSegments() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        WalConfig config = WalConfig.builder(dir).syncMode(SyncMode.NONE).segmentSize(8 * 1024)
                .maxRecordSize(1024).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            for (int i = 1; i <= 3000; i++) {
                wal.append(TYPE, payload("v" + i));
            }
            assertThat(wal.status().segmentCount()).isGreaterThan(5);
            for (int trial = 0; trial < 40; trial++) {
                long from = 1 + random.nextInt(3001);
                try (WalReader reader = wal.reader(from)) {
                    if (from == 3001) {
                        assertThat(reader.next()).isFalse();
                        continue;
                    }
                    assertThat(reader.next()).as("seed %d, from %d", seed, from).isTrue();
                    assertThat(reader.lsn()).as("seed %d", seed).isEqualTo(from);
                    assertThat(text(reader.payload())).isEqualTo("v" + from);
                }
            }
            assertThat(readAll(wal, 2999)).isEqualTo(expected(2999, 3000, "v"));
        }
    }

    @Test
    void seekingUsesTheOffsetIndexInsteadOfScanningFromTheStart() {
        ObservedFileIO io = new ObservedFileIO();
        WalConfig config = WalConfig.builder(dir).syncMode(SyncMode.NONE).segmentSize(8L * 1024 * 1024)
                .maxRecordSize(4096).fileIO(io).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            byte[] filler = new byte[900];
            for (int i = 0; i < 20_000; i++) {
                wal.append(TYPE, java.nio.ByteBuffer.wrap(filler));
            }
            Segment[] segments = wal.segments();
            assertThat(segments).hasSizeGreaterThan(2);
            Path first = segments[0].path();
            Segment last = segments[1]; // a full, sealed segment
            long readsOfFirst = io.bytesReadFrom(first);
            long opensOfFirst = io.opensOf(first);
            try (WalReader reader = wal.reader(last.lastLsn())) {
                assertThat(reader.next()).isTrue();
                assertThat(reader.lsn()).isEqualTo(last.lastLsn());
            }
            assertThat(io.opensOf(first)).isEqualTo(opensOfFirst);
            assertThat(io.bytesReadFrom(first)).isEqualTo(readsOfFirst);
            // At most one index interval plus one read buffer of the last segment, far less than the segment.
            assertThat(io.bytesReadFrom(last.path())).isLessThan(OffsetIndex.INTERVAL_BYTES + 256 * 1024 + 1);
            assertThat(last.endOffset()).isGreaterThan(7L * 1024 * 1024);
        }
    }

    @Test
    void aReaderCaughtUpSeesRecordsAppendedLaterIncludingAcrossRollover() {
        WalConfig config = WalConfig.builder(dir).syncMode(SyncMode.GROUP).segmentSize(2048).maxRecordSize(512)
                .build();
        try (WriteAheadLog wal = WriteAheadLog.open(config);
                WalReader tail = wal.reader(1)) {
            List<String> seen = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 37; i++) {
                    long lsn = wal.appendedLsn() + 1;
                    wal.append(TYPE, payload("v" + lsn));
                }
                while (tail.next()) {
                    seen.add(tail.lsn() + ":" + text(tail.payload()));
                }
                assertThat(seen).hasSize((round + 1) * 37);
            }
            assertThat(seen).isEqualTo(expected(1, 370, "v"));
            assertThat(wal.status().segmentCount()).isGreaterThan(3);
        }
    }

    @Test
    void refusesLsnsThatArePurgedOrNotYetWritten() {
        WalConfig config = WalConfig.builder(dir).syncMode(SyncMode.NONE).segmentSize(1024).maxRecordSize(256)
                .build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            for (int i = 1; i <= 200; i++) {
                wal.append(TYPE, payload("v" + i));
            }
            assertThatThrownBy(() -> wal.reader(202)).isInstanceOf(WalException.class)
                    .hasMessageContaining("202").hasMessageContaining("not been written");
            assertThat(wal.purgeUpTo(100)).isPositive();
            long oldest = wal.firstLsn();
            assertThat(oldest).isGreaterThan(1).isLessThanOrEqualTo(101);
            assertThatThrownBy(() -> wal.reader(oldest - 1)).isInstanceOf(WalException.class)
                    .hasMessageContaining("purged").hasMessageContaining("Read from LSN " + oldest);
            assertThat(readAll(wal, oldest)).isEqualTo(expected(oldest, 200, "v"));
        }
    }
}
