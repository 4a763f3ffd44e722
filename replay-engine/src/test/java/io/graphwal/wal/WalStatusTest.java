package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status value and the listener hook report what the log really did. */
class WalStatusTest {

    @TempDir
    Path dir;

    @Test
    void statusAndListenerFollowAppendsAndFsyncs() {
        AtomicLong appends = new AtomicLong();
        AtomicLong appendedBytes = new AtomicLong();
        AtomicLong syncs = new AtomicLong();
        AtomicLong syncedRecords = new AtomicLong();
        WalListener listener = new WalListener() {
            @Override
            public void appended(long lsn, int bytes) {
                appends.incrementAndGet();
                appendedBytes.addAndGet(bytes);
            }

            @Override
            public void synced(long durationNanos, long records) {
                assertThat(durationNanos).isNotNegative();
                syncs.incrementAndGet();
                syncedRecords.addAndGet(records);
            }
        };
        WalConfig config = WalConfig.builder(dir).syncMode(SyncMode.NONE).segmentSize(2048).maxRecordSize(512)
                .listener(listener).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            WalStatus fresh = wal.status();
            assertThat(fresh.appendedLsn()).isZero();
            assertThat(fresh.durableLsn()).isZero();
            assertThat(fresh.segmentCount()).isEqualTo(1);
            assertThat(fresh.segmentBytes()).isEqualTo(WalFormat.SEGMENT_HEADER_SIZE);
            assertThat(fresh.lastFsyncAt()).isNull();
            assertThat(fresh.poisoned()).isFalse();
            assertThat(fresh.syncMode()).isEqualTo(SyncMode.NONE);
            assertThat(fresh.directory()).isEqualTo(dir);

            long bytes = 0;
            for (int i = 0; i < 100; i++) {
                String text = "status-" + i;
                wal.append(TYPE, payload(text));
                bytes += WalFormat.RECORD_HEADER_SIZE + text.length();
            }
            wal.flush();
            WalStatus status = wal.status();
            assertThat(status.appendedLsn()).isEqualTo(100);
            assertThat(status.durableLsn()).isEqualTo(100);
            assertThat(status.segmentCount()).isGreaterThan(1);
            assertThat(status.segmentBytes()).isEqualTo(bytes + (long) status.segmentCount()
                    * WalFormat.SEGMENT_HEADER_SIZE);
            assertThat(status.lastFsyncAt()).isNotNull();
            assertThat(status.recovery().records()).isZero();
            assertThat(appends.get()).isEqualTo(100);
            assertThat(appendedBytes.get()).isEqualTo(bytes);
            // Rollover seals and the flush both fsync; together they cover every record exactly once.
            assertThat(syncs.get()).isEqualTo(status.segmentCount());
            assertThat(syncedRecords.get()).isEqualTo(100);
        }
    }
}
