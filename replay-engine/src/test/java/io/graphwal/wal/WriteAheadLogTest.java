package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.config;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    @Test
    void appendsDenseLsnsAndReadsThemBackAfterReopen() {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            for (int i = 1; i <= 100; i++) {
                assertThat(wal.append(TYPE, payload("r" + i))).isEqualTo(i);
            }
            assertThat(wal.appendedLsn()).isEqualTo(100);
            assertThat(wal.durableLsn()).isEqualTo(100);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            assertThat(wal.recovery().records()).isEqualTo(100);
            assertThat(wal.recovery().tornTailBytes()).isZero();
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 100, "r"));
            assertThat(wal.append(TYPE, payload("r101"))).isEqualTo(101);
        }
    }

    @Test
    void rollsOverIntoSegmentsNamedByTheirFirstLsnAndReadsAcrossThem() throws IOException {
        WalConfig config = config(dir).syncMode(SyncMode.NONE).segmentSize(4096).maxRecordSize(512).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            for (int i = 1; i <= 2000; i++) {
                wal.append(TYPE, payload("record-" + i));
            }
            assertThat(wal.status().segmentCount()).isGreaterThan(10);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wal")).sorted().findFirst())
                    .contains("00000000000000000001.wal");
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 2000, "record-"));
            assertThat(readAll(wal, 1377)).isEqualTo(expected(1377, 2000, "record-"));
            for (Path segment : segmentFiles()) {
                assertThat(Files.size(segment)).isLessThanOrEqualTo(4096);
            }
        }
    }

    @Test
    void refusesAnOversizedRecordWithoutWritingIt() {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).segmentSize(1 << 16).maxRecordSize(100).build())) {
            assertThatThrownBy(() -> wal.append(TYPE, ByteBuffer.allocate(101)))
                    .isInstanceOf(WalRecordTooLargeException.class)
                    .hasMessageContaining("101 bytes").hasMessageContaining("max-record-size");
            assertThat(wal.appendedLsn()).isZero();
            assertThat(wal.append(TYPE, ByteBuffer.allocate(100))).isEqualTo(1);
        }
    }

    private Path[] segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toArray(Path[]::new);
        }
    }
}
