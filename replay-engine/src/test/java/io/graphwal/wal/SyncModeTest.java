package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.ObservedFileIO;

/** The contract of each sync mode: when an append returns, and when its record is durable. */
class SyncModeTest {

    @TempDir
    Path dir;

    private final ObservedFileIO io = new ObservedFileIO();

    private WriteAheadLog open(SyncMode mode) {
        return WriteAheadLog.open(WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(5))
                .fileIO(io).build());
    }

    @Test
    void perCommitAppendReturnsOnlyAfterAnFsyncThatFollowsItsWrite() {
        try (WriteAheadLog wal = open(SyncMode.PER_COMMIT)) {
            for (int i = 1; i <= 20; i++) {
                int before = io.events.size();
                long lsn = wal.append(TYPE, payload("r" + i));
                List<String> during = io.events.subList(before, io.events.size());
                assertThat(during).first().asString().startsWith("write ");
                assertThat(during).last().asString().startsWith("force ");
                assertThat(wal.durableLsn()).isGreaterThanOrEqualTo(lsn);
                assertThat(wal.durable(lsn)).isCompletedWithValue(lsn);
            }
        }
    }

    @Test
    void perCommitConcurrentAppendersShareOneFsyncWhileAnotherRuns() throws Exception {
        int threads = 16;
        try (WriteAheadLog wal = open(SyncMode.PER_COMMIT)) {
            long forcesBefore = io.forces.get();
            io.closeGate();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Long>> appends = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int n = i;
                    appends.add(pool.submit(() -> wal.append(TYPE, payload("t" + n))));
                }
                // The first appender leads an fsync that the gate holds; every other one batches its record and
                // waits, and nothing is written while the fsync runs.
                Await.until("all records handed over and one fsync held", () -> wal.assignedLsn() == threads
                        && io.forcesWaitingAtGate() == 1);
                assertThat(appends).noneMatch(Future::isDone);
                long written = wal.appendedLsn();
                long writesBefore = io.writes.get();
                io.openGate();
                for (Future<Long> append : appends) {
                    assertThat(append.get(30, TimeUnit.SECONDS)).isBetween(1L, (long) threads);
                }
                assertThat(io.writes.get() - writesBefore).as("the batch goes out in one write")
                        .isEqualTo(written < threads ? 1 : 0);
            } finally {
                pool.shutdownNow();
            }
            // One fsync for the leader's record, one shared by those that queued behind it (a single one if
            // every write landed before the leader read the appended LSN).
            assertThat(io.forces.get() - forcesBefore).isBetween(1L, 2L);
            assertThat(wal.durableLsn()).isEqualTo(threads);
        }
    }

    @Test
    void anInterruptedPerCommitAppenderParksUntilItsFsyncAndKeepsItsInterrupt() throws Exception {
        try (WriteAheadLog wal = open(SyncMode.PER_COMMIT)) {
            io.closeGate();
            CompletableFuture<Long> leader = CompletableFuture.supplyAsync(() -> wal.append(TYPE, payload("lead")));
            Await.until("the leader's fsync is held", () -> io.forcesWaitingAtGate() == 1);
            CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
            Thread follower = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    wal.append(TYPE, payload("follow"));
                    interruptKept.complete(Thread.currentThread().isInterrupted());
                } catch (Throwable e) {
                    interruptKept.completeExceptionally(e);
                }
            }, "interrupted-appender");
            follower.start();
            Await.until("the interrupted follower's record is handed over", () -> wal.assignedLsn() == 2);
            // A pending interrupt makes every park return at once; a waiter that kept it would spin on a core
            // until the fsync ends instead of parking. Give it an interval to show itself in: a parked waiter
            // uses no CPU in it however slow the machine is, so this cannot fail a correct wait.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(follower.getId());
            Thread.sleep(300);
            long cpuUsed = threads.getThreadCpuTime(follower.getId()) - cpuBefore;
            assertThat(cpuUsed).as("CPU nanoseconds the waiting follower used in 300 ms")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(60));
            io.openGate();
            assertThat(leader.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(interruptKept.get(30, TimeUnit.SECONDS)).as("the interrupt is restored").isTrue();
            follower.join();
            assertThat(wal.durableLsn()).isEqualTo(2);
        }
    }

    @Test
    void groupModeAcknowledgesOnWriteAndTheFlusherMakesItDurable() throws Exception {
        try (WriteAheadLog wal = open(SyncMode.GROUP)) {
            io.closeGate();
            long lsn = wal.append(TYPE, payload("group"));
            CompletableFuture<Long> durable = wal.durable(lsn);
            assertThat(wal.appendedLsn()).isEqualTo(lsn);
            Await.until("the flusher reaches the fsync", () -> io.forcesWaitingAtGate() == 1);
            assertThat(durable).isNotDone();
            assertThat(wal.durableLsn()).isLessThan(lsn);
            io.openGate();
            assertThat(durable.get(30, TimeUnit.SECONDS)).isEqualTo(lsn);
            assertThat(wal.durableLsn()).isGreaterThanOrEqualTo(lsn);
            assertThat(wal.status().lastFsyncAt()).isNotNull();
        }
    }

    @Test
    void groupModeFlusherIsANamedDaemonThreadThatCloseJoins() {
        WriteAheadLog wal = open(SyncMode.GROUP);
        String name = "graphwal-flusher[" + dir.getFileName() + "]";
        Thread flusher = findThread(name);
        assertThat(flusher).as("thread " + name).isNotNull();
        assertThat(flusher.isDaemon()).isTrue();
        wal.append(TYPE, payload("x"));
        wal.close();
        assertThat(flusher.isAlive()).isFalse();
        assertThat(findThread(name)).isNull();
    }

    @Test
    void noneModeFsyncsOnlyOnFlushAndClose() {
        WriteAheadLog wal = open(SyncMode.NONE);
        long forcesAtOpen = io.forces.get();
        long last = 0;
        for (int i = 0; i < 50; i++) {
            last = wal.append(TYPE, payload("n" + i));
        }
        CompletableFuture<Long> durable = wal.durable(last);
        assertThat(io.forces.get()).isEqualTo(forcesAtOpen);
        assertThat(durable).isNotDone();
        assertThat(wal.durableLsn()).isZero();

        assertThat(wal.flush()).isEqualTo(last);
        assertThat(durable).isCompletedWithValue(last);
        assertThat(io.forces.get()).isEqualTo(forcesAtOpen + 1);

        long unsynced = wal.append(TYPE, payload("after flush"));
        CompletableFuture<Long> atClose = wal.durable(unsynced);
        wal.close();
        assertThat(atClose).isCompletedWithValue(unsynced);
        assertThat(io.events).last().asString().startsWith("force ");
    }

    @Test
    void flushSharesNothingWhenAlreadyDurable() {
        try (WriteAheadLog wal = open(SyncMode.PER_COMMIT)) {
            wal.append(TYPE, payload("a"));
            long forces = io.forces.get();
            assertThat(wal.flush()).isEqualTo(1);
            assertThat(io.forces.get()).isEqualTo(forces);
        }
    }

    private static Thread findThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }
}
