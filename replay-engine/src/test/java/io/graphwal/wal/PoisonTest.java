package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.config;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.graphwal.io.FaultInjectingFileIO;
import io.graphwal.io.FaultInjectingFileIO.Kind;
import io.graphwal.io.FaultInjectingFileIO.Pause;
import io.graphwal.io.FileIO;

/**
 * Proves the poisoned latch: the first failed write, fsync, segment creation, directory fsync or deletion
 * poisons the log; every later append, flush and purge fails fast with the same first cause; no fsync is
 * attempted after a failed one; the appended and durable LSNs stop; and reopening the directory with a
 * healthy file system finds every record that was acknowledged before the failure.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoisonTest {

    private static final Duration BOUND = Duration.ofSeconds(10);
    /** Big enough for the payloads used here; keeps segments small so rollovers are cheap to reach. */
    private static final int MAX_RECORD = 64;
    private static final long SMALL_SEGMENT = 256;

    @TempDir
    Path dir;

    /** How a write is made to fail. */
    enum WriteFault {
        ONCE, ALWAYS, TORN_IN_HEADER, TORN_IN_PAYLOAD;

        void arm(FaultInjectingFileIO io, int nth) {
            switch (this) {
                case ONCE -> io.failOnce(Kind.WRITE, nth);
                case ALWAYS -> io.failFrom(Kind.WRITE, nth);
                case TORN_IN_HEADER -> io.tearWrite(nth, 5);
                case TORN_IN_PAYLOAD -> io.tearWrite(nth, WalFormat.RECORD_HEADER_SIZE + 1);
            }
        }

        int tornBytes() {
            return switch (this) {
                case ONCE, ALWAYS -> 0;
                case TORN_IN_HEADER -> 5;
                case TORN_IN_PAYLOAD -> WalFormat.RECORD_HEADER_SIZE + 1;
            };
        }
    }

    static Stream<Arguments> writeFailures() {
        List<Arguments> cases = new ArrayList<>();
        for (SyncMode mode : SyncMode.values()) {
            for (int nth : new int[] {1, 2, 9}) {
                for (WriteFault fault : WriteFault.values()) {
                    cases.add(Arguments.of(mode, nth, fault));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, write #{1} fails {2}")
    @MethodSource("writeFailures")
    void writeFailurePoisonsWithTheFirstCauseAndKeepsEveryAcknowledgedRecord(SyncMode mode, int nth,
            WriteFault fault) {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        // Preallocation off, so that the nth write is the nth record's; its own writes are steps of the rollover
        // test below.
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).syncMode(mode).preallocate(false).fileIO(io)
                .build())) {
            long writesBefore = io.calls(Kind.WRITE);
            fault.arm(io, nth);
            for (int lsn = 1; lsn < nth; lsn++) {
                assertThat(wal.append(TYPE, payload("r" + lsn))).isEqualTo(lsn);
            }
            if (mode == SyncMode.GROUP) {
                // With everything durable the flusher has nothing to do, so the calls counted below are ours.
                assertThat(wal.flush()).isEqualTo(nth - 1);
            }
            long durableBefore = wal.durableLsn();

            Throwable thrown = catchThrowable(() -> wal.append(TYPE, payload("r" + nth)));

            IOException cause = io.lastInjected();
            assertThat(io.injected()).hasSize(1);
            assertPoisonedBy(thrown, cause);
            assertThat(wal.appendedLsn()).isEqualTo(nth - 1);
            assertThat(wal.durableLsn()).isEqualTo(durableBefore);
            assertStatus(wal, cause, "write of LSN " + nth, durableBefore);
            assertEverythingFailsFast(wal, io, cause);
            long forces = io.calls(Kind.FORCE);
            wal.close();
            assertThat(io.calls(Kind.FORCE)).as("fsyncs after the poison, including close").isEqualTo(forces);
            assertThat(io.calls(Kind.WRITE) - writesBefore).as("writes since arming, the failed one last")
                    .isEqualTo(nth);
        }
        assertThat(io.openHandles()).isZero();

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, nth - 1, "r"));
            assertThat(reopened.recovery().tornTailBytes()).isEqualTo(fault.tornBytes());
            assertThat(reopened.append(TYPE, payload("again"))).isEqualTo(nth);
        }
    }

    @ParameterizedTest(name = "fsync #{0} fails, always: {1}")
    @CsvSource({"1, false", "1, true", "2, false", "2, true", "7, false", "7, true"})
    void fsyncFailurePoisonsAndIsNeverRetried(int nth, boolean always) {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).fileIO(io).build())) {
            long forcesBefore = io.calls(Kind.FORCE);
            if (always) {
                io.failFrom(Kind.FORCE, nth);
            } else {
                io.failOnce(Kind.FORCE, nth);
            }
            for (int lsn = 1; lsn < nth; lsn++) {
                assertThat(wal.append(TYPE, payload("r" + lsn))).isEqualTo(lsn);
                assertThat(wal.durableLsn()).isEqualTo(lsn);
            }

            Throwable thrown = catchThrowable(() -> wal.append(TYPE, payload("r" + nth)));

            IOException cause = io.lastInjected();
            assertPoisonedBy(thrown, cause);
            // The record reached the operating system, but it was never acknowledged.
            assertThat(wal.appendedLsn()).isEqualTo(nth);
            assertThat(wal.durableLsn()).isEqualTo(nth - 1);
            assertStatus(wal, cause, "fsync", nth - 1);
            assertEverythingFailsFast(wal, io, cause);
            wal.close();
            assertThat(io.calls(Kind.FORCE) - forcesBefore).as("fsyncs since arming, the failed one last")
                    .isEqualTo(nth);
        }
        assertThat(io.openHandles()).isZero();

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            // Every acknowledged record is there; the unacknowledged one may be, as it reached the OS.
            assertThat(readAll(reopened, 1)).isIn(expected(1, nth - 1, "r"), expected(1, nth, "r"));
        }
    }

    @Test
    void concurrentCommittersNeverLoseAnAcknowledgedRecordWhenAnFsyncFails() throws Exception {
        long seed = Long.getLong("graphwal.test.seed", System.nanoTime());
        System.out.println("PoisonTest.concurrentCommitters seed=" + seed + " (rerun with -Dgraphwal.test.seed="
                + seed + ")");
        Random random = new Random(seed);
        int threads = 2 + random.nextInt(7);
        int failingFsync = 1 + random.nextInt(60);
        boolean always = random.nextBoolean();
        // Small segments make some of the fsyncs seals and new segments' headers, racing the commits' fsyncs.
        long segmentSize = random.nextBoolean() ? 4 * SMALL_SEGMENT : WalConfig.DEFAULT_SEGMENT_SIZE;
        String context = "seed " + seed + ": " + threads + " threads, " + segmentSize + "-byte segments, fsync #"
                + failingFsync + " fails" + (always ? " and every later one" : " once");

        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        List<Throwable> unexpected = new ArrayList<>();
        WalPoison poison;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        WalConfig config = config(dir).segmentSize(segmentSize).maxRecordSize(MAX_RECORD).fileIO(io).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            long forcesBefore = io.calls(Kind.FORCE);
            if (always) {
                io.failFrom(Kind.FORCE, failingFsync);
            } else {
                io.failOnce(Kind.FORCE, failingFsync);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> committers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                committers.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    for (int i = 0; i < 2_000; i++) {
                        String text = "t" + thread + "-" + i;
                        try {
                            acknowledged.put(wal.append(TYPE, payload(text)), text);
                        } catch (WalPoisonedException e) {
                            return;
                        } catch (RuntimeException e) {
                            synchronized (unexpected) {
                                unexpected.add(e);
                            }
                            return;
                        }
                    }
                    synchronized (unexpected) {
                        unexpected.add(new AssertionError("thread " + thread + " was never refused"));
                    }
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(committers.toArray(new CompletableFuture<?>[0]))
                    .get(60, TimeUnit.SECONDS);
            assertThat(unexpected).as(context).isEmpty();
            poison = wal.poison();
            assertThat(poison).as(context).isNotNull();
            assertThat(poison.cause()).as(context).isSameAs(io.lastInjected());
            assertThat(io.injected()).as(context).hasSize(1);
            long highestAcknowledged = acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
            assertThat(poison.durableLsn()).as(context).isGreaterThanOrEqualTo(highestAcknowledged);
            assertThat(wal.durableLsn()).as(context).isEqualTo(poison.durableLsn());
            wal.close();
            assertThat(io.calls(Kind.FORCE) - forcesBefore).as(context + ": fsyncs, the failed one last")
                    .isEqualTo(failingFsync);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).segmentSize(segmentSize)
                .maxRecordSize(MAX_RECORD).build())) {
            List<String> records = readAll(reopened, 1);
            assertThat((long) records.size()).as(context).isGreaterThanOrEqualTo(poison.durableLsn());
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i)).as(context).startsWith((i + 1) + ":");
            }
            for (Map.Entry<Long, String> entry : acknowledged.entrySet()) {
                assertThat(records.get((int) (entry.getKey() - 1))).as(context)
                        .isEqualTo(entry.getKey() + ":" + entry.getValue());
            }
        }
    }

    @Test
    void groupFlusherFsyncFailurePoisonsAndFailsPendingDurableFutures() throws Exception {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        List<WalPoison> reported = new ArrayList<>();
        WalListener listener = new WalListener() {
            @Override
            public void poisoned(WalPoison poison) {
                synchronized (reported) {
                    reported.add(poison);
                }
            }
        };
        WalConfig config = config(dir).syncMode(SyncMode.GROUP).groupInterval(Duration.ofMillis(1)).fileIO(io)
                .listener(listener).build();
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            long forcesBefore = io.calls(Kind.FORCE);
            Pause flusherFsync = io.pauseAt(Kind.FORCE, 1);
            io.failFrom(Kind.FORCE, 1);
            for (int lsn = 1; lsn <= 5; lsn++) {
                assertThat(wal.append(TYPE, payload("r" + lsn))).isEqualTo(lsn);
            }
            flusherFsync.awaitReached(BOUND);
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            for (long lsn = 1; lsn <= 5; lsn++) {
                pending.add(wal.durable(lsn));
            }
            assertThat(pending).noneMatch(CompletableFuture::isDone);
            assertThat(wal.durableLsn()).isZero();

            flusherFsync.resume();
            awaitCondition(() -> wal.poison() != null, "the flusher's failed fsync poisons the log");

            IOException cause = io.lastInjected();
            for (CompletableFuture<Long> future : pending) {
                Throwable failure = catchThrowable(() -> future.get(BOUND.toSeconds(), TimeUnit.SECONDS));
                assertThat(failure).isInstanceOf(ExecutionException.class);
                assertPoisonedBy(failure.getCause(), cause);
            }
            assertStatus(wal, cause, "fsync", 0);
            assertThat(wal.appendedLsn()).isEqualTo(5);
            assertEverythingFailsFast(wal, io, cause);
            wal.close();
            assertThat(io.calls(Kind.FORCE) - forcesBefore).as("fsyncs since arming, including close").isOne();
            synchronized (reported) {
                assertThat(reported).hasSize(1);
                assertThat(reported.get(0).cause()).isSameAs(cause);
            }
        }
        assertThat(io.openHandles()).isZero();

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, 5, "r"));
        }
    }

    /**
     * Each I/O call made by an append that rolls over, in order: seal the full segment (cut its unused
     * preallocated zeros, fsync, close), create the next one (create, write the header, fsync it, fsync the
     * directory), zero-fill it ahead of the record, then write and fsync the record.
     */
    enum RolloverStep {
        SEAL_TRUNCATE(Kind.TRUNCATE, 1, false, "truncation of sealed segment"),
        SEAL_FSYNC(Kind.FORCE, 1, false, "fsync of sealed segment"),
        SEAL_CLOSE(Kind.CLOSE, 1, false, "sealed segment"),
        CREATE_FILE(Kind.CREATE, 1, true, "creation of segment"),
        HEADER_WRITE(Kind.WRITE, 1, true, "creation of segment"),
        HEADER_TORN(Kind.WRITE, 1, true, "creation of segment"),
        HEADER_FSYNC(Kind.FORCE, 2, true, "creation of segment"),
        DIRECTORY_FSYNC(Kind.SYNC_DIRECTORY, 1, true, "creation of segment"),
        PREALLOCATION_WRITE(Kind.WRITE, 2, true, "preallocation of"),
        FIRST_RECORD_WRITE(Kind.WRITE, 3, true, "write of LSN"),
        FIRST_RECORD_FSYNC(Kind.FORCE, 3, true, "fsync");

        final Kind kind;
        final int nth;
        final boolean inNewSegment;
        final String operation;

        RolloverStep(Kind kind, int nth, boolean inNewSegment, String operation) {
            this.kind = kind;
            this.nth = nth;
            this.inNewSegment = inNewSegment;
            this.operation = operation;
        }

        void arm(FaultInjectingFileIO io) {
            if (this == HEADER_TORN) {
                io.tearWrite(nth, 10);
            } else {
                io.failOnce(kind, nth);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RolloverStep.class)
    void failureDuringRolloverPoisonsAndKeepsEveryAcknowledgedRecord(RolloverStep step) {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        WalConfig config = config(dir).segmentSize(SMALL_SEGMENT).maxRecordSize(MAX_RECORD).fileIO(io).build();
        long full;
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            full = fillToTheBrim(wal, "r");
            assertThat(wal.status().segmentCount()).isOne();
            Map<Kind, Long> before = counts(io);
            step.arm(io);

            Throwable thrown = catchThrowable(() -> wal.append(TYPE, payload("r" + (full + 1))));

            IOException cause = io.lastInjected();
            assertThat(io.injected()).hasSize(1);
            String target = step == RolloverStep.DIRECTORY_FSYNC ? dir.toString()
                    : dir.resolve(WalFormat.segmentFileName(step.inNewSegment ? full + 1 : 1)).toString();
            assertThat(cause.getMessage()).as("the injected call is the step under test").endsWith(" on " + target);
            assertThat(io.calls(step.kind) - before.get(step.kind)).isEqualTo(step.nth);
            assertPoisonedBy(thrown, cause);
            boolean recordWritten = step == RolloverStep.FIRST_RECORD_FSYNC;
            assertThat(wal.appendedLsn()).isEqualTo(recordWritten ? full + 1 : full);
            assertThat(wal.durableLsn()).isEqualTo(full);
            assertStatus(wal, cause, step.operation, full);
            assertEverythingFailsFast(wal, io, cause);
            long forces = io.calls(Kind.FORCE);
            wal.close();
            assertThat(io.calls(Kind.FORCE)).as("fsyncs after the poison, including close").isEqualTo(forces);
        }
        assertThat(io.openHandles()).isZero();

        long next;
        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).segmentSize(SMALL_SEGMENT)
                .maxRecordSize(MAX_RECORD).build())) {
            List<String> records = readAll(reopened, 1);
            assertThat(records).isIn(expected(1, full, "r"), expected(1, full + 1, "r"));
            next = records.size() + 1;
            assertThat(reopened.append(TYPE, payload("r" + next))).isEqualTo(next);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, next, "r"));
            assertThat(reopened.recovery().truncatedTornTail()).isFalse();
        }
    }

    @Test
    void rolloverWaitingBehindAFailedFlusherFsyncNeverFsyncsAgain() throws Exception {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        WalConfig config = config(dir).syncMode(SyncMode.GROUP).groupInterval(Duration.ofMillis(1))
                .segmentSize(SMALL_SEGMENT).maxRecordSize(MAX_RECORD).fileIO(io).build();
        long last;
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            // Leave room for exactly one more record, and let the flusher fall idle.
            long lsn = 0;
            while (wal.status().segmentBytes() + 2 * recordSize("r" + (lsn + 1)) <= SMALL_SEGMENT) {
                lsn = wal.append(TYPE, payload("r" + (lsn + 1)));
            }
            assertThat(wal.flush()).isEqualTo(lsn);
            long forcesBefore = io.calls(Kind.FORCE);
            Pause flusherFsync = io.pauseAt(Kind.FORCE, 1);
            io.failOnce(Kind.FORCE, 1);
            last = wal.append(TYPE, payload("r" + (lsn + 1)));
            assertThat(wal.status().segmentCount()).isOne();
            flusherFsync.awaitReached(BOUND);

            // The next append must roll over; its seal waits for the fsync the flusher is inside of.
            String nextText = "r" + (last + 1);
            CompletableFuture<Long> rollover = new CompletableFuture<>();
            Thread appender = new Thread(() -> {
                try {
                    rollover.complete(wal.append(TYPE, payload(nextText)));
                } catch (Throwable e) {
                    rollover.completeExceptionally(e);
                }
            }, "rollover-appender");
            appender.start();
            awaitCondition(() -> isBlockedIn(appender, SegmentWriter.class, "rollOver") || rollover.isDone(),
                    "the rollover waits for the flusher's fsync");
            assertThat(rollover).isNotDone();

            flusherFsync.resume();
            Throwable thrown = catchThrowable(() -> rollover.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            appender.join(BOUND.toMillis());

            IOException cause = io.lastInjected();
            assertThat(wal.poison()).isNotNull();
            assertThat(wal.poison().cause()).isSameAs(cause);
            assertThat(io.calls(Kind.FORCE) - forcesBefore).as("fsyncs since the flusher's failed one").isOne();
            assertThat(wal.durableLsn()).as("the durable LSN stays where the failed fsync left it").isEqualTo(lsn);
            assertThat(thrown).isInstanceOf(ExecutionException.class);
            assertPoisonedBy(thrown.getCause(), cause);
            assertEverythingFailsFast(wal, io, cause);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).segmentSize(SMALL_SEGMENT)
                .maxRecordSize(MAX_RECORD).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, last, "r"));
        }
    }

    @ParameterizedTest
    @CsvSource({"DELETE, 1, deletion of", "DELETE, 2, deletion of", "SYNC_DIRECTORY, 1, directory fsync after purge"})
    void failureDuringPurgePoisonsAndKeepsEveryRetainedRecord(Kind kind, int nth, String operation) {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        WalConfig config = config(dir).segmentSize(SMALL_SEGMENT).maxRecordSize(MAX_RECORD).fileIO(io).build();
        long appended;
        long activeFirst;
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            for (int lsn = 1; lsn <= 40; lsn++) {
                wal.append(TYPE, payload("r" + lsn));
            }
            appended = wal.appendedLsn();
            assertThat(wal.status().segmentCount()).isGreaterThanOrEqualTo(4);
            activeFirst = wal.segments()[wal.segments().length - 1].firstLsn();
            io.failOnce(kind, nth);

            Throwable thrown = catchThrowable(() -> wal.purgeUpTo(appended));

            IOException cause = io.lastInjected();
            assertPoisonedBy(thrown, cause);
            assertThat(wal.appendedLsn()).isEqualTo(appended);
            assertThat(wal.durableLsn()).isEqualTo(appended);
            assertStatus(wal, cause, operation, appended);
            assertEverythingFailsFast(wal, io, cause);
            long deletes = io.calls(Kind.DELETE);
            wal.close();
            assertThat(io.calls(Kind.DELETE)).isEqualTo(deletes);
        }
        assertThat(io.openHandles()).isZero();

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).segmentSize(SMALL_SEGMENT)
                .maxRecordSize(MAX_RECORD).build())) {
            long first = reopened.firstLsn();
            assertThat(first).isLessThanOrEqualTo(activeFirst);
            if (kind == Kind.DELETE && nth == 1) {
                assertThat(first).as("nothing was deleted").isOne();
            } else {
                assertThat(first).as("the first segment was deleted").isGreaterThan(1);
            }
            assertThat(readAll(reopened, first)).isEqualTo(expected(first, appended, "r"));
        }
    }

    @Test
    void fsyncFailureOfAnExplicitFlushPoisons() {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).syncMode(SyncMode.NONE).fileIO(io).build())) {
            for (int lsn = 1; lsn <= 3; lsn++) {
                wal.append(TYPE, payload("r" + lsn));
            }
            io.failOnce(Kind.FORCE, 1);

            Throwable thrown = catchThrowable(wal::flush);

            IOException cause = io.lastInjected();
            assertPoisonedBy(thrown, cause);
            assertThat(wal.durableLsn()).isZero();
            assertStatus(wal, cause, "fsync", 0);
            assertEverythingFailsFast(wal, io, cause);
            long forces = io.calls(Kind.FORCE);
            wal.close();
            assertThat(io.calls(Kind.FORCE)).isEqualTo(forces);
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, 3, "r"));
        }
    }

    @Test
    void fsyncFailureAtClosePoisonsThrowsAndStillReleasesTheDirectory() {
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        WriteAheadLog wal = WriteAheadLog.open(config(dir).syncMode(SyncMode.NONE).fileIO(io).build());
        for (int lsn = 1; lsn <= 3; lsn++) {
            wal.append(TYPE, payload("r" + lsn));
        }
        CompletableFuture<Long> pending = wal.durable(3);
        io.failOnce(Kind.FORCE, 1);

        Throwable thrown = catchThrowable(wal::close);

        IOException cause = io.lastInjected();
        assertPoisonedBy(thrown, cause);
        assertThat(wal.poison()).isNotNull();
        assertThat(wal.durableLsn()).isZero();
        assertThat(pending).isCompletedExceptionally();
        assertThat(io.openHandles()).isZero();
        long forces = io.calls(Kind.FORCE);
        wal.close();
        assertThat(io.calls(Kind.FORCE)).as("a second close does not fsync again").isEqualTo(forces);

        try (WriteAheadLog reopened = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(reopened, 1)).isEqualTo(expected(1, 3, "r"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void assertPoisonedBy(Throwable thrown, IOException cause) {
        assertThat(thrown).isInstanceOf(WalPoisonedException.class);
        assertThat(thrown.getCause()).as("the cause is the first, injected failure").isSameAs(cause);
        assertThat(((WalPoisonedException) thrown).poison().cause()).isSameAs(cause);
    }

    private static void assertStatus(WriteAheadLog wal, IOException cause, String operation, long durableLsn) {
        WalStatus status = wal.status();
        assertThat(status.poisoned()).isTrue();
        assertThat(status.durableLsn()).isEqualTo(durableLsn);
        WalPoison poison = status.poison();
        assertThat(poison.cause()).isSameAs(cause);
        assertThat(poison.operation()).contains(operation);
        assertThat(poison.durableLsn()).isEqualTo(durableLsn);
        assertThat(poison.at()).isNotNull();
        assertThat(wal.poison()).isSameAs(poison);
    }

    /** Later appends, flushes and purges fail with the first cause and touch no file; the LSNs stay put. */
    private static void assertEverythingFailsFast(WriteAheadLog wal, FaultInjectingFileIO io, IOException cause) {
        long appended = wal.appendedLsn();
        long durable = wal.durableLsn();
        Map<Kind, Long> before = counts(io);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertPoisonedBy(catchThrowable(() -> wal.append(TYPE, payload("refused"))), cause);
            assertPoisonedBy(catchThrowable(wal::flush), cause);
            assertPoisonedBy(catchThrowable(() -> wal.purgeUpTo(appended)), cause);
            CompletableFuture<Long> future = wal.durable(appended + 1);
            assertThat(future).isCompletedExceptionally();
            assertPoisonedBy(catchThrowable(future::join).getCause(), cause);
        }
        assertThat(wal.appendedLsn()).isEqualTo(appended);
        assertThat(wal.durableLsn()).isEqualTo(durable);
        assertThat(counts(io)).as("file-system calls made by refused operations").isEqualTo(before);
    }

    private static Map<Kind, Long> counts(FaultInjectingFileIO io) {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, io.calls(kind));
        }
        return counts;
    }

    /** Appends "prefix + lsn" records until the next one would not fit the active segment; returns the last LSN. */
    private static long fillToTheBrim(WriteAheadLog wal, String prefix) {
        long lsn = wal.appendedLsn();
        while (wal.status().segmentBytes() + recordSize(prefix + (lsn + 1)) <= SMALL_SEGMENT) {
            lsn = wal.append(TYPE, payload(prefix + (lsn + 1)));
        }
        return lsn;
    }

    private static int recordSize(String text) {
        return WalFormat.RECORD_HEADER_SIZE + payload(text).remaining();
    }

    private static boolean isBlockedIn(Thread thread, Class<?> type, String method) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(type.getName())
                        && frame.getMethodName().equals(method));
    }

    private static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("not released within " + BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
