package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

import io.graphwal.graph.Commit;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalPoison;
import io.graphwal.wal.WalPoisonedException;

/**
 * Real kernel faults, beside the simulated ones of the I/O-error and power-loss suites: the log runs on a
 * small ext4 file system on a loop device ({@link LoopFileSystem}), written through the standard file layer,
 * so in {@code group} and {@code none} mode through its shared memory mapping, and meets the kernel's own
 * errors, in every sync mode:
 * <ul>
 *   <li><b>a full disk</b>: a filler file leaves a little more than two segments free, so a bounded run of
 *       commits of a few KB runs out of space; the kernel's "No space left on device" must poison the log
 *       (naming the failed operation), not surface as anything else;</li>
 *   <li><b>a file system turned read-only under running writers</b>: ext4 raises an error
 *       ({@code errors=remount-ro}) while two writers commit, and every write, fsync and creation then fails
 *       with "Read-only file system". An operator's {@code mount -o remount,ro} is tried first: the kernel
 *       refuses it while the log holds its segment open for writing, and the log must go on unharmed.</li>
 * </ul>
 * In each case: the log is poisoned; no commit started after the poison returns normally; no acknowledgement
 * is past the durable LSN the poison recorded (acknowledged means: the commit returned in {@code per-commit};
 * its {@code durable()} future completed in {@code group}; a successful {@code flush()} covered it in
 * {@code none}); every pending {@code durable()} future fails; the live graph shows exactly the commits that
 * returned. Then space is freed (or the file system checked and mounted read-write again), the database
 * reopened, and it must hold every acknowledged transaction, nothing that was never attempted, and an exact
 * prefix of the log, and take commits again.
 *
 * <p>Where the machine cannot mount a loop device (not root, no {@code losetup}, no free device, a container
 * that refuses) the tests are skipped with the reason, which the summary line repeats. The figures go to
 * {@code target/reliability/kernel-faults.txt}.
 */
class KernelFaultTest {

    private static final long FILE_SYSTEM_BYTES = 16L * 1024 * 1024;
    private static final long SEGMENT_SIZE = 1024 * 1024;
    /**
     * Free space left beside the filler: two segments and half of a third, so the log runs out of space
     * partway through the zeros it writes ahead of the third segment's records (both the per-commit
     * preallocation and the mapped path's reservation write a segment's zeros at its first record).
     */
    private static final long LEFT_FREE = 2 * SEGMENT_SIZE + SEGMENT_SIZE / 2;
    /** A few KB per commit, so the full disk arrives within a few hundred commits. */
    private static final String LARGE_PAD = "f".repeat(6000);
    private static final String SMALL_PAD = "r".repeat(500);
    /** More payload than the whole file system holds: a run that reaches this never met a full disk. */
    private static final int MAX_COMMITS = (int) (FILE_SYSTEM_BYTES / LARGE_PAD.length()) + 1;
    private static final int WRITERS = 2;
    private static final int MAX_COMMITS_PER_WRITER = 20_000;
    /** Acknowledgements to wait for before the fault, so that it lands while the writers are running. */
    private static final int ACKNOWLEDGED_BEFORE_FAULT = 64;
    /** Every this many commits a writer awaits durability (group) or flushes (none). */
    private static final int AWAIT_EVERY = 32;
    private static final long WAIT_SECONDS = 30;

    private static int cases;
    private static int skipped;
    private static long acknowledgedTotal;
    private static long lostTotal;
    private static final Set<String> skipReasons = Collections.synchronizedSet(new TreeSet<>());
    private static final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path root;

    @AfterAll
    static void writeSummary() {
        String line = "cases=" + cases + " skipped=" + skipped + " acknowledged=" + acknowledgedTotal + " lost="
                + lostTotal + " violations=" + violations.size();
        if (!skipReasons.isEmpty()) {
            line += " skip-reason=\"" + String.join("; ", skipReasons) + "\"";
        }
        SuiteSummary.write("kernel-faults", line);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SyncMode.class)
    void aFullDiskPoisonsTheLogAndAfterSpaceIsFreedARestartRecoversEveryAcknowledgedCommit(SyncMode mode)
            throws Exception {
        try (LoopFileSystem fs = mountOrSkip()) {
            Path filler = fs.path().resolve("filler");
            fill(filler, fs.path());
            Path dir = fs.path().resolve("graph");
            Ledger ledger = new Ledger(mode, LARGE_PAD);
            WalPoison poison;
            try (GraphDatabase db = GraphDatabase.open(config(dir, mode))) {
                int commits = 0;
                while (ledger.commitOne(db)) {
                    commits++;
                    assertThat(commits).as("commits of %s bytes before the disk with %s bytes free was full",
                            LARGE_PAD.length(), LEFT_FREE).isLessThan(MAX_COMMITS);
                }
                poison = checkPoisoned(db, ledger, "No space left on device");
                // Space is freed on the same mount before the log is closed, as an operator would.
                Files.delete(filler);
            }
            LoopFileSystem.Result fsck = fs.checkAndRemount();
            reopenAndCheck(dir, ledger, "enospc/" + mode + ": poisoned by " + describe(poison) + ", e2fsck exit "
                    + fsck.exitCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SyncMode.class)
    void aFileSystemTurnedReadOnlyUnderRunningWritersPoisonsTheLogAndLosesNothingAcknowledged(SyncMode mode)
            throws Exception {
        try (LoopFileSystem fs = mountOrSkip()) {
            if (!fs.canTriggerErrors()) {
                skip("this kernel has no /sys/fs/ext4/<device>/trigger_fs_error to turn ext4 read-only with");
            }
            Path dir = fs.path().resolve("graph");
            Ledger ledger = new Ledger(mode, SMALL_PAD);
            WalPoison poison;
            String how;
            try (GraphDatabase db = GraphDatabase.open(config(dir, mode))) {
                // An operator's remount first: the kernel refuses it while a file is open for writing, and the
                // refusal must leave the log working. Were it allowed, it would be the fault itself.
                LoopFileSystem.Result remount = fs.remountReadOnly();
                boolean operatorRemounted = remount.ok();
                if (!operatorRemounted) {
                    assertThat(fs.isReadOnly()).as("after the refused %s", remount).isFalse();
                    assertThat(ledger.commitOne(db)).as("a commit after the refused remount").isTrue();
                    assertThat(db.wal().poison()).as("the poison after the refused remount").isNull();
                }
                how = operatorRemounted ? "mount -o remount,ro" : "an ext4 error (remount,ro refused with exit "
                        + remount.exitCode() + ": " + remount.output().strip().lines().findFirst().orElse("") + ")";
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Thread writer = new Thread(() -> ledger.commitUntilPoisoned(db, MAX_COMMITS_PER_WRITER),
                            "kernel-fault-writer-" + w);
                    writer.start();
                    writers.add(writer);
                }
                if (!operatorRemounted) {
                    LoopFileSystem.awaitCondition(ACKNOWLEDGED_BEFORE_FAULT + " acknowledgements from running writers",
                            () -> ledger.acknowledgedCount() >= ACKNOWLEDGED_BEFORE_FAULT || ledger.writersStopped());
                    fs.triggerError();
                }
                for (Thread writer : writers) {
                    writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                    assertThat(writer.isAlive()).as("%s still running %s s after the fault", writer.getName(),
                            WAIT_SECONDS).isFalse();
                }
                poison = checkPoisoned(db, ledger, "Read-only file system");
            }
            LoopFileSystem.Result fsck = fs.checkAndRemount();
            reopenAndCheck(dir, ledger, "read-only/" + mode + " via " + how + ": poisoned by " + describe(poison)
                    + ", e2fsck exit " + fsck.exitCode());
        }
    }

    private LoopFileSystem mountOrSkip() throws IOException {
        cases++;
        try {
            return LoopFileSystem.mount(root, FILE_SYSTEM_BYTES);
        } catch (TestAbortedException e) {
            skipped++;
            // One line per distinct reason: without the per-test directories and the line breaks of a command's
            // output, the same refusal in every case reads as one.
            skipReasons.add(e.getMessage().replace(root.toString(), "<tmp>").replaceAll("loop-ext4-\\d+", "loop-ext4")
                    .replaceAll("\\s+", " "));
            throw e;
        }
    }

    private static void skip(String reason) {
        skipped++;
        skipReasons.add(reason);
        System.out.println("kernel-faults: skipped: " + reason);
        assumeTrue(false, reason);
    }

    private static DatabaseConfig config(Path dir, SyncMode mode) {
        // Automatic checkpoints off: a snapshot's own writes would make where the disk fills depend on timing.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).segmentSize(SEGMENT_SIZE)
                .maxRecordSize(64 * 1024).build(), 0, 1);
    }

    /** Writes and fsyncs a file of zeros that leaves {@link #LEFT_FREE} bytes of the file system free. */
    private static void fill(Path filler, Path mount) throws IOException {
        long bytes = Files.getFileStore(mount).getUsableSpace() - LEFT_FREE;
        assertThat(bytes).as("room for a filler").isPositive();
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written < bytes) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - written));
                written += channel.write(zeros);
            }
            channel.force(true);
        }
        long left = Files.getFileStore(mount).getUsableSpace();
        // The filler's own extent blocks take a little of what was meant to be left.
        assertThat(left).as("free space beside the filler").isBetween(LEFT_FREE - 64 * 1024, LEFT_FREE);
    }

    /**
     * Checks the poisoned log of a finished run: the poison names the operation and the kernel's error, a
     * commit and a flush after it are refused, every acknowledgement is at or below its durable LSN, every
     * other future failed, and the live graph shows exactly the commits that returned.
     */
    private static WalPoison checkPoisoned(GraphDatabase db, Ledger ledger, String kernelError) throws Exception {
        assertThat(ledger.unexpected).as("unexpected failures of the writers").isEmpty();
        WalPoison poison = db.wal().poison();
        assertThat(poison).as("the log is poisoned after the %s run", ledger.mode).isNotNull();
        assertThat(messages(poison.cause())).as("the poison's causes").anyMatch(m -> m.contains(kernelError));
        assertThat(poison.operation()).as("the poisoned operation names a segment").contains(".wal");
        assertThat(ledger.firstRefusal).as("a commit, flush or durable() future was refused").isNotNull();
        assertThat(ledger.firstRefusal.getMessage()).as("the refusal names the poisoned operation")
                .contains(poison.operation());
        assertThat(ledger.returnedAfterPoison).as("commits that returned though started after the poison").isEmpty();
        try {
            ledger.commitOne(db);
            throw new AssertionError("a commit returned normally after the log was poisoned");
        } catch (WalPoisonedException expected) {
            assertThat(expected.poison()).isSameAs(poison);
        }
        try {
            db.wal().flush();
            throw new AssertionError("a flush succeeded after the log was poisoned");
        } catch (WalPoisonedException expected) {
            assertThat(expected.poison()).isSameAs(poison);
        }
        ledger.awaitFutures();
        assertThat(db.wal().durableLsn()).as("the durable LSN after the poison").isEqualTo(poison.durableLsn());
        assertThat(ledger.acknowledgedLsns()).as("acknowledged LSNs; the poison recorded durable LSN %s",
                poison.durableLsn()).allMatch(lsn -> lsn <= poison.durableLsn());
        long liveNodes = db.read(view -> view.nodeCount());
        assertThat(liveNodes).as("nodes in the live graph after the poison")
                .isEqualTo(ledger.returned.get());
        return poison;
    }

    /** Reopens the database and checks that it holds everything acknowledged, as an exact prefix, and works. */
    private static void reopenAndCheck(Path dir, Ledger ledger, String outcome) throws Exception {
        Set<Long> acknowledged = ledger.acknowledgedKeys();
        try (GraphDatabase db = GraphDatabase.open(config(dir, ledger.mode))) {
            long lastLsn = db.read(view -> view.lsn());
            Set<Long> recovered = db.read(view -> {
                Set<Long> keys = new TreeSet<>();
                view.nodesWithLabel("L").forEach(node -> keys.add(((Number) node.properties().get("k")).longValue()));
                return keys;
            });
            Set<Long> lost = new TreeSet<>(acknowledged);
            lost.removeAll(recovered);
            synchronized (KernelFaultTest.class) {
                acknowledgedTotal += acknowledged.size();
                lostTotal += lost.size();
            }
            if (!lost.isEmpty()) {
                violations.add(outcome + ": lost acknowledged " + lost);
            }
            assertThat(lost).as("acknowledged transactions missing after the restart (%s)", outcome).isEmpty();
            assertThat(recovered).as("recovered transactions that were never attempted")
                    .allMatch(k -> k >= 1 && k <= ledger.attempted.get());
            assertThat((long) recovered.size()).as("one node per recovered record").isEqualTo(lastLsn);
            for (Map.Entry<Long, Long> written : ledger.keyByLsn.entrySet()) {
                if (written.getKey() <= lastLsn) {
                    assertThat(recovered).as("the recovered prefix up to LSN %s", lastLsn).contains(written.getValue());
                }
            }
            // The log takes commits again now that the disk is healthy (none mode makes them durable on flush).
            Commit<Long> again = db.commit(tx -> tx.createNode(List.of("After"), Map.of()));
            if (ledger.mode == SyncMode.NONE) {
                db.wal().flush();
            }
            assertThat(again.durable().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(again.lsn());
            System.out.println("kernel-faults: " + outcome + "; " + ledger.returned.get() + " commits returned, "
                    + acknowledged.size() + " acknowledged, " + recovered.size() + " recovered, " + lost.size()
                    + " lost");
        }
    }

    /** The poisoned operation and the innermost cause, which is the kernel's error. */
    private static String describe(WalPoison poison) {
        Throwable root = poison.cause();
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return poison.operation() + " (" + root + ")";
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    /**
     * What the writers of one run did: which key each commit carried, what was acknowledged by the rule of
     * the mode, and anything that broke the rules. Keys are handed out in order before each commit, so the
     * keys at or below {@link #attempted} are everything that was ever tried.
     */
    private static final class Ledger {
        final SyncMode mode;
        final String pad;
        final AtomicLong attempted = new AtomicLong();
        final AtomicLong returned = new AtomicLong();
        final Map<Long, Long> keyByLsn = new ConcurrentHashMap<>();
        final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        /** In none mode: the highest durable LSN a successful flush returned. */
        final AtomicLong flushedUpTo = new AtomicLong();
        final ConcurrentLinkedQueue<CompletableFuture<Long>> futures = new ConcurrentLinkedQueue<>();
        final List<String> returnedAfterPoison = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong stoppedWriters = new AtomicLong();
        final AtomicBoolean poisonSeen = new AtomicBoolean();
        volatile WalPoisonedException firstRefusal;

        Ledger(SyncMode mode, String pad) {
            this.mode = mode;
            this.pad = pad;
        }

        /**
         * Commits one transaction and records its acknowledgement by the rule of the mode.
         *
         * @return false once the log refused: the commit, or the durability awaited after it, was poisoned
         * @throws WalPoisonedException only from a commit started after a poison this ledger already saw
         */
        boolean commitOne(GraphDatabase db) throws Exception {
            long key = attempted.incrementAndGet();
            // Read before the commit starts: a commit that begins after the poison must not return normally.
            WalPoison before = db.wal().poison();
            Commit<Long> commit;
            try {
                commit = db.commit(tx -> tx.createNode(List.of("L"), Map.of("k", key, "pad", pad)));
            } catch (WalPoisonedException e) {
                if (poisonSeen.get()) {
                    throw e;
                }
                refused(e);
                return false;
            }
            returned.incrementAndGet();
            if (before != null) {
                returnedAfterPoison.add("key " + key + " at LSN " + commit.lsn());
            }
            keyByLsn.put(commit.lsn(), key);
            futures.add(commit.durable());
            switch (mode) {
                case PER_COMMIT -> acknowledged.add(commit.lsn());
                case GROUP -> {
                    commit.durable().thenAccept(acknowledged::add);
                    if (key % AWAIT_EVERY == 0) {
                        return awaitDurable(commit);
                    }
                }
                case NONE -> {
                    if (key % AWAIT_EVERY == 0) {
                        try {
                            flushedUpTo.accumulateAndGet(db.wal().flush(), Math::max);
                        } catch (WalPoisonedException e) {
                            refused(e);
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        /** One writer's loop: commits until the log refuses, recording anything unexpected. */
        void commitUntilPoisoned(GraphDatabase db, int maxCommits) {
            try {
                for (int i = 0; i < maxCommits; i++) {
                    if (!commitOne(db)) {
                        return;
                    }
                }
            } catch (WalPoisonedException e) {
                return; // another writer saw the poison first; this commit was refused as it should be
            } catch (Throwable e) {
                unexpected.add(e);
            } finally {
                stoppedWriters.incrementAndGet();
            }
        }

        /** Records the first refusal, from a commit, a flush or a durable() future, whichever came first. */
        private synchronized void refused(WalPoisonedException e) {
            if (firstRefusal == null) {
                firstRefusal = e;
            }
            poisonSeen.set(true);
        }

        boolean writersStopped() {
            return stoppedWriters.get() > 0;
        }

        private boolean awaitDurable(Commit<Long> commit) throws Exception {
            try {
                commit.durable().get(WAIT_SECONDS, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WalPoisonedException poisoned) {
                    refused(poisoned);
                    return false;
                }
                throw e;
            } catch (TimeoutException e) {
                throw new AssertionError("durable() of LSN " + commit.lsn() + " did not complete within "
                        + WAIT_SECONDS + " s", e);
            }
        }

        long acknowledgedCount() {
            return mode == SyncMode.NONE ? flushedUpTo.get() : acknowledged.size();
        }

        /** Waits until every durable() future has completed, and checks that those that failed were poisoned. */
        void awaitFutures() throws Exception {
            CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                    .exceptionally(e -> null);
            all.get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (CompletableFuture<Long> future : futures) {
                if (future.isCompletedExceptionally()) {
                    try {
                        future.join();
                    } catch (RuntimeException e) {
                        assertThat(e.getCause()).as("why a durable() future failed")
                                .isInstanceOf(WalPoisonedException.class);
                    }
                }
            }
        }

        /** The acknowledged LSNs by the rule of the mode. */
        Set<Long> acknowledgedLsns() {
            if (mode != SyncMode.NONE) {
                return new TreeSet<>(acknowledged);
            }
            Set<Long> covered = new TreeSet<>();
            for (long lsn : keyByLsn.keySet()) {
                if (lsn <= flushedUpTo.get()) {
                    covered.add(lsn);
                }
            }
            return covered;
        }

        Set<Long> acknowledgedKeys() {
            Set<Long> keys = new TreeSet<>();
            for (long lsn : acknowledgedLsns()) {
                keys.add(keyByLsn.get(lsn));
            }
            return keys;
        }
    }
}
