package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cuts the power at every I/O call of a workload that appends, rolls segments over and purges, damages the
 * unsynced state at random, and checks that every record acknowledged as durable survives, that recovery
 * never mistakes the damage for corruption, and that nothing which was not written appears.
 */
class PowerLossTest {

    private static final int RECORDS = 30;
    private static final int DAMAGES_PER_CRASH_POINT = 3;

    @TempDir
    Path root;

    /** What the workload managed before the power went out. */
    private static final class Outcome {
        long acknowledgedDurable;
        long purgedUpTo;
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void acknowledgedDurableRecordsSurvivePowerLossAtEveryIoCall(SyncMode mode) throws Exception {
        long seed = Long.getLong("graphwal.test.seed", System.nanoTime());
        Random random = new Random(seed);
        long calls = dryRunCalls(mode);
        assertThat(calls).isGreaterThan(RECORDS);
        int runs = 0;
        for (long cut = 1; cut <= calls; cut++) {
            for (int damage = 0; damage < DAMAGES_PER_CRASH_POINT; damage++) {
                Path dir = Files.createDirectory(root.resolve("run-" + runs++));
                PowerLossFileIO io = new PowerLossFileIO();
                io.cutPowerAtCall(cut);
                Outcome outcome = runWorkload(dir, mode, io);
                io.powerLoss(random);
                String context = "seed " + seed + " (-Dgraphwal.test.seed), mode " + mode + ", power cut at call "
                        + cut + " of " + calls + ", damage " + damage;
                verifyRecovery(dir, outcome, context);
                deleteRecursively(dir);
            }
        }
        assertThat(runs).isEqualTo(calls * DAMAGES_PER_CRASH_POINT);
    }

    private long dryRunCalls(SyncMode mode) throws Exception {
        Path dir = Files.createDirectory(root.resolve("dry-run"));
        PowerLossFileIO io = new PowerLossFileIO();
        Outcome outcome = runWorkload(dir, mode, io);
        assertThat(io.powerWasCut()).isFalse();
        assertThat(outcome.acknowledgedDurable).isEqualTo(RECORDS);
        deleteRecursively(dir);
        return io.mutatingCalls();
    }

    private static WalConfig config(Path dir, SyncMode mode, FileIO io) {
        return WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(1)).segmentSize(1024)
                .maxRecordSize(400).fileIO(io).build();
    }

    static String text(long lsn) {
        // Sizes vary so records straddle sector and segment boundaries in different places.
        return "rec-" + lsn + "-" + "abcdefghij".repeat((int) (lsn * 7 % 31));
    }

    private static Outcome runWorkload(Path dir, SyncMode mode, PowerLossFileIO io) throws Exception {
        Outcome outcome = new Outcome();
        WriteAheadLog wal;
        try {
            wal = WriteAheadLog.open(config(dir, mode, io));
        } catch (WalException powerCutDuringOpen) {
            return outcome;
        }
        try {
            for (long i = 1; i <= RECORDS; i++) {
                long lsn = wal.append(TYPE, payload(text(i)));
                assertThat(lsn).isEqualTo(i);
                switch (mode) {
                    case PER_COMMIT -> outcome.acknowledgedDurable = lsn;
                    case GROUP -> {
                        wal.durable(lsn).get(30, TimeUnit.SECONDS);
                        outcome.acknowledgedDurable = lsn;
                    }
                    case NONE -> {
                        if (i % 4 == 0 || i == RECORDS) {
                            wal.flush();
                            outcome.acknowledgedDurable = lsn;
                        }
                    }
                }
                if (i % 10 == 0 && outcome.acknowledgedDurable > 5) {
                    // Recorded first: once asked, the purge may have deleted files even if it then fails.
                    outcome.purgedUpTo = outcome.acknowledgedDurable - 5;
                    wal.purgeUpTo(outcome.purgedUpTo);
                }
            }
        } catch (WalException | ExecutionException e) {
            assertThat(io.powerWasCut()).as("failure without a power cut: %s", e).isTrue();
        } catch (TimeoutException e) {
            throw new AssertionError("a durable future never completed", e);
        } finally {
            try {
                wal.close();
            } catch (WalException expectedAfterPowerCut) {
                assertThat(io.powerWasCut()).isTrue();
            }
        }
        return outcome;
    }

    private static void verifyRecovery(Path dir, Outcome outcome, String context) {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir, SyncMode.PER_COMMIT, FileIO.standard()))) {
            long first = wal.firstLsn();
            long last = wal.appendedLsn();
            assertThat(last).as("acknowledged records lost; %s", context).isGreaterThanOrEqualTo(
                    outcome.acknowledgedDurable);
            assertThat(first).as("unpurged records lost; %s", context).isLessThanOrEqualTo(
                    Math.max(1, outcome.purgedUpTo + 1));
            List<String> expected = new ArrayList<>();
            for (long lsn = first; lsn <= last; lsn++) {
                expected.add(lsn + ":" + text(lsn));
            }
            assertThat(readAll(wal, first)).as(context).isEqualTo(expected);
            assertThat(wal.append(TYPE, payload(text(last + 1)))).as(context).isEqualTo(last + 1);
        } catch (WalCorruptionException e) {
            throw new AssertionError("a power loss was refused as corruption; " + context, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
