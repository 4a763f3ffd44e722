package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Many appenders at once: LSNs are dense and increasing, records land whole, and all survive a reopen. */
class ConcurrentAppendTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void manyConcurrentAppendersGetDenseIncreasingLsnsAndLoseNothing(SyncMode mode) throws Exception {
        int threads = 8;
        int perThread = mode == SyncMode.PER_COMMIT ? 150 : 1500;
        WalConfig config = WalConfig.builder(dir).syncMode(mode).segmentSize(32 * 1024).maxRecordSize(1024).build();
        Map<Long, String> acknowledged = new HashMap<>();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<long[]>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        long[] lsns = new long[perThread];
                        for (int i = 0; i < perThread; i++) {
                            lsns[i] = wal.append(TYPE, payload("t" + thread + "-" + i + "-" + "x".repeat(i % 97)));
                        }
                        return lsns;
                    }));
                }
                for (int t = 0; t < threads; t++) {
                    long[] lsns = results.get(t).get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        if (i > 0) {
                            assertThat(lsns[i]).isGreaterThan(lsns[i - 1]);
                        }
                        String previous = acknowledged.put(lsns[i], "t" + t + "-" + i + "-" + "x".repeat(i % 97));
                        assertThat(previous).as("LSN %d handed out twice", lsns[i]).isNull();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long total = (long) threads * perThread;
            assertThat(acknowledged.keySet()).hasSize((int) total).allMatch(lsn -> lsn >= 1 && lsn <= total);
            assertThat(wal.appendedLsn()).isEqualTo(total);
            assertThat(wal.status().segmentCount()).isGreaterThan(1);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            List<String> expected = new ArrayList<>();
            for (long lsn = 1; lsn <= acknowledged.size(); lsn++) {
                expected.add(lsn + ":" + acknowledged.get(lsn));
            }
            assertThat(readAll(wal, 1)).isEqualTo(expected);
            assertThat(wal.recovery().tornTailBytes()).isZero();
        }
    }
}
