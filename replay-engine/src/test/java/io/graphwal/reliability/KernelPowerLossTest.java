package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

import io.graphwal.graph.GraphView;
import io.graphwal.graph.Node;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;

/**
 * A power loss below the JVM: the file system itself loses everything that was not fsynced, so a missing or
 * misplaced fsync anywhere in the log, the snapshots or the mapped write path shows up as a lost
 * acknowledged transaction, which the kill -9 crash loop cannot show (the page cache outlives a killed
 * process).
 *
 * <p>Per sync mode, a small ext4 on a loop device ({@link LoopFileSystem}) holds the database. Each cycle a
 * child JVM ({@link PowerLossChild}) commits from several threads and reports what it attempted, what
 * committed at which LSN and what was acknowledged as durable (per-commit: the commit returned; group: its
 * {@code durable()} future completed; none: a {@code flush()} returned covering its LSN). Once the cycle's
 * randomly chosen number of acknowledgements has been reached, the test shuts the file system down with the
 * ext4 ioctl {@code EXT4_IOC_SHUTDOWN} and the flag {@code EXT4_GOING_FLAGS_NOLOGFLUSH}: from that moment
 * every I/O fails, nothing more reaches the device, neither dirty pages nor the journal, which on the next
 * mount is what a power cut leaves. Then the child is killed, the file system unmounted and mounted again (the
 * kernel replays its journal; e2fsck only if the mount is refused) and the database opened: recovery must
 * succeed (cutting a torn tail is allowed), every acknowledged transaction must be there, and the graph must
 * be an exact prefix of the log: one node per LSN up to the recovered LSN, every committed transaction at or
 * below it present, none above it, nothing never attempted. Cycles continue in the same directory, so each is
 * a recovery of a recovered log, with rollover, snapshots and purge running when the power goes. In group and
 * none mode this runs the shared-memory-mapped write path that production uses on Linux.
 *
 * <p>The test has teeth, checked rather than assumed: just before every shutdown it writes a probe file, one
 * fsynced block and one block it never syncs; after the remount the synced block must be there and the
 * unsynced one must (in at least one cycle per mode) be gone. And none mode ends with one more cycle whose
 * child flushes once, early, and never again (no checkpoints, no rollover): some of its later commits, which
 * lived only in pages dirtied through the mapping, must be missing afterwards. So the shutdown really dropped
 * what was only in the page cache, and passing means the fsyncs are where they must be. In group and none mode
 * the test also waits, before the shutdown, until {@code /proc/<child>/maps} shows a segment mapped, so the
 * power goes while the mapped path is in use.
 *
 * <p><b>Where the shutdown is not a power cut.</b> A power cut stops everything at one instant; the ioctl does
 * not stop the child, and an fsync already running when it comes can still return success for bytes it then
 * never makes durable. ext4 checks its shutdown flag when an fsync starts; an fdatasync that must commit the
 * journal (the file grew, or its first write allocated blocks) writes the data, then waits for the journal
 * transaction holding the new size and extents. The shutdown aborts the journal, and the abort ends the running
 * transaction without writing it; an fsync that asks for that transaction afterwards finds it no longer running
 * or committing and takes it as committed (jbd2 returns 0 for a transaction it considers done, without looking
 * at the abort), so it returns 0 and the bytes and the size are gone after the remount. An fsync that only
 * overwrites allocated blocks needs no journal commit and really is durable once its data write ends. That is
 * where losses came in long runs: in group and none mode about once in 25 to 30 cycles, and with
 * {@code -Dgraphwal.test.nomap=true} in per-commit too, never in per-commit overwriting preallocated blocks.
 * The same happens with no GraphWAL at all: a Python loop of append-then-fdatasync on the same kind of file system
 * lost its last acknowledged append in 2 of 37 shutdowns, both times to an fdatasync that started before the
 * ioctl and returned success after it began, and lost nothing in 17 shutdowns when it overwrote preallocated
 * blocks, although there an fdatasync spanned the ioctl's start 15 times.
 *
 * <p>So a loss only counts when it cannot be the ioctl's doing. The child stamps each acknowledgement and each
 * fsync ({@link TracingFileIO}: start, return, result, and the LSN appended before it started) with
 * {@link System#nanoTime()}, which on Linux is {@code CLOCK_MONOTONIC}, the clock the shutdown script reads
 * just before and just after the ioctl (the two were checked against each other: a Java reading, a Python
 * process's reading, a Java reading were in order every time). A missing acknowledged transaction is a violation
 * if an fsync of a segment that covered it had returned success before the ioctl began (the kernel called it
 * durable before the power went), if it was acknowledged before the ioctl began, or if no successful fsync of a
 * segment covered it at all. What is left, acknowledged after the shutdown began and covered only by segment
 * fsyncs that returned success after it began, is counted as {@code lost-to-shutdown-fsyncs} and printed with
 * the fsync that covered it, but does not fail the test. Each reading is taken after the moment it stands for,
 * so a loss is never excused by a reading that came too early; a correct engine passes however the threads are
 * scheduled, and a missing fsync, an fsync of the wrong file, or a durable LSN published ahead of its fsync
 * would still lose transactions acknowledged before the shutdown, which fail it. In long runs every loss so far
 * was of the excused kind.
 *
 * <p>The ioctl is issued by {@code python3} (Java cannot call ioctl), and only after checking that the target is
 * the mount of this very loop device: shutting down the file system that holds the temp directory instead
 * would take the machine's own disk down. Skipped with the reason, printed and reported, where the machine
 * cannot mount a loop device, has no {@code python3} or refuses the ioctl. Every mount, loop device, process
 * and file is cleaned up, also on failure. 3 cycles per mode (and the flush-once cycle), 20 with
 * {@code -Dgraphwal.test.long=true}, or as many as {@code -Dgraphwal.test.powerloss.cycles} says;
 * {@code -Dgraphwal.test.nomap=true} turns preallocation and the mapped path off, so that every fsync grows a
 * file; {@code -Dgraphwal.test.seed} repeats a run's acknowledgement targets. The figures go to
 * {@code target/reliability/power-loss-kernel.txt}.
 */
class KernelPowerLossTest {

    private static final int CYCLES = Integer.getInteger("graphwal.test.powerloss.cycles",
            SuiteSummary.longMode() ? 20 : 3);
    private static final int WRITERS = 3;
    /**
     * Room for what a long run keeps: nothing is deleted, so the graph, and with it each of the two retained
     * snapshots, grows by every cycle's commits (some thousands of small nodes in group and none mode), about
     * 1.2 MiB a cycle without preallocation. Three times that keeps the file system far from full: in a 64 MiB
     * one, from about cycle 35 on, nearly every shutdown kept the probe's unsynced block (presumably ext4, short
     * of free space, stops delaying allocation, and the child's journal commits then write the block out).
     */
    private static final long FILE_SYSTEM_BYTES = Math.max(64L, 4L * CYCLES) * 1024 * 1024;
    private static final long WAIT_SECONDS = 120;
    private static final int PROBE_BLOCK = 4096;
    /** The ioctl request {@code EXT4_IOC_SHUTDOWN = _IOR('X', 125, __u32)}: read, 4 bytes, type 'X', number 125. */
    private static final long EXT4_IOC_SHUTDOWN = (2L << 30) | (4L << 16) | ('X' << 8) | 125;
    /** {@code EXT4_GOING_FLAGS_NOLOGFLUSH}: flush neither the journal nor data, as a power cut would not. */
    private static final int EXT4_GOING_FLAGS_NOLOGFLUSH = 2;
    private static final int SHUTDOWN_REFUSED = 5;
    private static final int NOT_THE_LOOP_MOUNT = 4;
    /**
     * Shuts down the file system mounted at argv[1], but only if it is the file system of the block device
     * argv[2], so that a mount that silently failed can never make it hit the file system beneath. Prints
     * {@code CLOCK_MONOTONIC} just before and just after the ioctl ({@code T0 <ns>} and {@code T1 <ns>}), the
     * clock the child's {@link System#nanoTime()} reads: nothing of the shutdown can happen before T0.
     */
    private static final String SHUTDOWN_SCRIPT = String.join("\n",
            "import fcntl, os, struct, sys, time",
            "mnt, dev = sys.argv[1], sys.argv[2]",
            "if not os.path.ismount(mnt) or os.stat(mnt).st_dev != os.stat(dev).st_rdev:",
            "    print('refusing: ' + mnt + ' is not the mount of ' + dev)",
            "    sys.exit(" + NOT_THE_LOOP_MOUNT + ")",
            "fd = os.open(mnt, os.O_RDONLY)",
            "flags = struct.pack('I', " + EXT4_GOING_FLAGS_NOLOGFLUSH + ")",
            "try:",
            "    t0 = time.monotonic_ns()",
            "    fcntl.ioctl(fd, " + EXT4_IOC_SHUTDOWN + ", flags)",
            "    t1 = time.monotonic_ns()",
            "except OSError as e:",
            "    print('ioctl EXT4_IOC_SHUTDOWN refused: ' + os.strerror(e.errno))",
            "    sys.exit(" + SHUTDOWN_REFUSED + ")",
            "finally:",
            "    os.close(fd)",
            "print('T0', t0)",
            "print('T1', t1)");

    private static final long SEED = SuiteSummary.seed();
    private static final Map<SyncMode, Figures> FIGURES = Collections.synchronizedMap(new EnumMap<>(SyncMode.class));
    private static final Set<String> SKIP_REASONS = Collections.synchronizedSet(new TreeSet<>());

    @TempDir
    Path root;

    /** What one mode's cycles found. */
    private static final class Figures {
        int cycles;
        long acknowledged;
        long recovered;
        /** Acknowledged transactions missing that are violations: see {@link Ledger#classifyLoss}. */
        long lost;
        /**
         * Acknowledged transactions missing that only an fsync the kernel reported successful after the shutdown
         * began had covered, acknowledged after it began: an artifact of the shutdown, not a violation.
         */
        long lostToShutdownFsyncs;
        /** Cycles with such losses. */
        int cyclesLosingToShutdownFsyncs;
        /** Fsyncs of a segment that started before the shutdown and returned success after it began. */
        long fsyncsSucceedingDuringShutdown;
        /** Commits that returned but were not acknowledged when the power went, and how many of them are gone. */
        long unacknowledged;
        long unacknowledgedDropped;
        int probesDropped;
        /** Cycles in which the child had a segment memory-mapped when the power went. */
        int mapped;
        /** The none-mode cycle with a single flush: unflushed commits and how many of them are gone. */
        long flushOnceUnflushed = -1;
        long flushOnceDropped = -1;
        long millis;
        final Set<String> childEnds = new TreeSet<>();
        final List<String> violations = new ArrayList<>();

        @Override
        public String toString() {
            return "cycles=" + cycles + " acknowledged=" + acknowledged + " recovered=" + recovered + " lost=" + lost
                    + " lost-to-shutdown-fsyncs=" + lostToShutdownFsyncs + " (in " + cyclesLosingToShutdownFsyncs
                    + " cycles) fsyncs-ok-during-shutdown=" + fsyncsSucceedingDuringShutdown
                    + " unacknowledged-dropped=" + unacknowledgedDropped + "/" + unacknowledged + " probe-dropped="
                    + probesDropped + "/" + cycles + " mapped=" + mapped + "/" + cycles
                    + (flushOnceUnflushed >= 0 ? " flush-once-dropped=" + flushOnceDropped + "/" + flushOnceUnflushed
                            : "")
                    + " violations=" + violations.size() + " ms=" + millis;
        }
    }

    @AfterAll
    static void writeSummary() {
        StringBuilder line = new StringBuilder();
        synchronized (FIGURES) {
            FIGURES.forEach((mode, figures) -> line.append(mode.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append(": ").append(figures).append("; "));
        }
        line.append("seed=").append(SEED);
        if (!SKIP_REASONS.isEmpty()) {
            line.append(" skipped=\"").append(String.join("; ", SKIP_REASONS)).append('"');
        }
        SuiteSummary.write("power-loss-kernel", line.toString());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SyncMode.class)
    void everyAcknowledgedTransactionSurvivesAPowerLossOfTheFileSystem(SyncMode mode) throws Exception {
        LoopFileSystem.Result python = LoopFileSystem.run("python3", "-c", "import fcntl, struct");
        if (!python.ok()) {
            skip("python3 with fcntl is needed to issue the shutdown ioctl: " + python);
        }
        long started = System.nanoTime();
        Figures figures = new Figures();
        FIGURES.put(mode, figures);
        Random random = new Random(SEED ^ mode.ordinal());
        System.out.println("power-loss-kernel: " + mode + ", seed " + SEED + " (repeat with -Dgraphwal.test.seed="
                + SEED + "), " + CYCLES + " cycles");
        try (LoopFileSystem fs = mountOrSkip()) {
            Path dir = fs.path().resolve("graph");
            Ledger ledger = new Ledger(mode);
            // In none mode one more cycle, the last, flushes only once: its unflushed commits must be dropped.
            int cycles = mode == SyncMode.NONE ? CYCLES + 1 : CYCLES;
            for (int cycle = 1; cycle <= cycles; cycle++) {
                boolean flushOnce = cycle > CYCLES;
                int target = 100 + random.nextInt(201);
                String context = mode + " cycle " + cycle + (flushOnce ? " (flushed once, power lost after "
                        + WRITERS * PowerLossChild.FLUSH_ONCE_COMMITS + " commits" : " (power lost after " + target
                                + " acknowledgements") + ", seed " + SEED + ")";
                runCycle(fs, dir, mode, cycle, random.nextLong(), flushOnce, target, ledger, figures, context);
                figures.cycles = cycle;
                if (!figures.violations.isEmpty()) {
                    break;
                }
            }
        } finally {
            figures.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("power-loss-kernel: " + mode + ": " + figures + " child ends " + figures.childEnds);
        }
        assertThat(figures.violations).as("power-loss violations in %s mode, seed %d", mode, SEED).isEmpty();
        assertThat(figures.cycles).isEqualTo(mode == SyncMode.NONE ? CYCLES + 1 : CYCLES);
        assertThat(figures.acknowledged).as("acknowledged transactions").isPositive();
        assertThat(figures.probesDropped).as("cycles whose shutdown dropped the probe's unsynced block; "
                + "without one the 'power loss' may have lost nothing").isPositive();
        if (mode != SyncMode.PER_COMMIT && !Boolean.getBoolean("graphwal.test.nomap")) {
            assertThat(figures.mapped).as("cycles in which the child wrote through a mapped segment").isPositive();
        }
        if (mode == SyncMode.NONE) {
            assertThat(figures.flushOnceDropped).as("commits after the only flush that are gone after the power "
                    + "loss, of %s", figures.flushOnceUnflushed).isPositive();
        }
    }

    private LoopFileSystem mountOrSkip() throws IOException {
        try {
            return LoopFileSystem.mount(root, FILE_SYSTEM_BYTES);
        } catch (TestAbortedException e) {
            SKIP_REASONS.add(e.getMessage().replace(root.toString(), "<tmp>").replaceAll("loop-ext4-\\d+", "loop-ext4")
                    .replaceAll("\\s+", " "));
            throw e;
        }
    }

    private static void skip(String reason) {
        SKIP_REASONS.add(reason);
        // Printed as well as reported: a skipped reliability test should be visible in a plain build log.
        System.out.println("power-loss-kernel: skipped: " + reason);
        Assumptions.abort(reason);
    }

    private void runCycle(LoopFileSystem fs, Path dir, SyncMode mode, int cycle, long childSeed, boolean flushOnce,
            int target, Ledger ledger, Figures figures, String context) throws Exception {
        Path stderr = root.resolve("child-" + mode + "-" + cycle + ".err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx128m", "-Xss512k", "-XX:-CreateCoredumpOnCrash",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-Dgraphwal.test.nomap=" + Boolean.getBoolean("graphwal.test.nomap"),
                "-cp", System.getProperty("java.class.path"),
                PowerLossChild.class.getName(), dir.toString(), mode.name(), Integer.toString(cycle),
                Integer.toString(WRITERS), Long.toString(childSeed)));
        if (flushOnce) {
            command.add("flush-once");
        }
        // Run from the temp directory, so that a JVM crash report lands there and not in the module.
        Process child = new ProcessBuilder(command).directory(root.toFile()).redirectError(stderr.toFile()).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> readReports(child, ledger, ready), "power-loss-reader");
        reader.setDaemon(true);
        reader.start();
        Probe probe = null;
        LoopFileSystem.Result shutdown;
        try {
            if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS) || !child.isAlive()) {
                throw new AssertionError(context + ": the child did not report READY (" + ledger.failures + "): "
                        + Files.readString(stderr));
            }
            if (flushOnce) {
                int all = WRITERS * PowerLossChild.FLUSH_ONCE_COMMITS;
                LoopFileSystem.awaitCondition("all " + all + " commits in " + context,
                        () -> ledger.committed() >= all || !child.isAlive());
            } else {
                LoopFileSystem.awaitCondition(target + " acknowledgements in " + context,
                        () -> ledger.acknowledgedThisCycle() >= target || !child.isAlive());
            }
            assertThat(ledger.failures).as("%s: the child failed before the power loss; stderr: %s", context,
                    Files.readString(stderr)).isEmpty();
            assertThat(child.isAlive()).as("%s: the child is running when the power goes", context).isTrue();
            AtomicBoolean sawMapping = new AtomicBoolean();
            if (mode != SyncMode.PER_COMMIT && !Boolean.getBoolean("graphwal.test.nomap")) {
                // The window is released at each fsync and mapped again by the next write: wait for a moment
                // when the child writes through it, so that the power goes while the mapped path is in use.
                // That sighting is what counts: looking again finds the window released between two writes
                // about as often as not, which made the count depend on the scheduler.
                LoopFileSystem.awaitCondition("the child of " + context + " to map a segment", () -> {
                    if (mapsASegment(child.pid(), dir)) {
                        sawMapping.set(true);
                        return true;
                    }
                    return !child.isAlive();
                });
            } else {
                sawMapping.set(mapsASegment(child.pid(), dir));
            }
            if (sawMapping.get()) {
                figures.mapped++;
            }
            probe = Probe.write(fs.path().resolve("probe-" + cycle));
            ledger.powerLost = true;
            shutdown = LoopFileSystem.run("python3", "-c", SHUTDOWN_SCRIPT, fs.path().toString(), fs.device());
        } finally {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the child's stdout,
            // dropping lines it flushed just before it died.
            child.toHandle().destroyForcibly();
            if (!child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(context + ": the child survived SIGKILL");
            }
            // End of stream once the killed child's pipe is closed: every line it flushed has been read by then.
            reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        if (shutdown.exitCode() == SHUTDOWN_REFUSED && cycle == 1) {
            skip("the kernel refuses the ext4 shutdown ioctl here: " + shutdown);
        }
        assertThat(shutdown.ok()).as("%s: the shutdown: %s", context, shutdown).isTrue();
        ShutdownWindow window = ShutdownWindow.parse(shutdown, context);
        assertThat(reader.isAlive()).as("%s: the reader never saw the end of the child's output", context).isFalse();
        figures.childEnds.add(describeEnd(child.exitValue(), ledger.failures, stderr));
        assertShutDown(fs.path(), context);
        String remount = fs.remountAfterPowerLoss();
        boolean probeDropped = probe.check(context);
        if (probeDropped) {
            figures.probesDropped++;
        }
        // What was on disk before recovery touched it, for the report of a violation.
        String files = listing(dir);
        try (GraphDatabase db = GraphDatabase.open(PowerLossChild.config(dir, SyncMode.PER_COMMIT))) {
            int violationsBefore = figures.violations.size();
            String outcome = db.read(view -> ledger.check(view, context, figures, flushOnce, window));
            if (figures.violations.size() > violationsBefore) {
                outcome += "; recovery: " + db.lastReplay() + "; files before recovery: " + files;
            }
            System.out.println("power-loss-kernel: " + context + ": " + outcome + ", " + remount + ", probe "
                    + (probeDropped ? "dropped its unsynced block" : "kept its unsynced block"));
        } catch (RuntimeException e) {
            figures.violations.add("recovery failure: " + context + ": " + e);
            throw new AssertionError(context + ": recovery after the power loss failed", e);
        }
        probe.delete();
        deleteCrashReports(figures);
        Files.delete(stderr);
    }

    /** The directory's files with their sizes, oldest name first. */
    private static String listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> entries = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                entries.add(file.getFileName() + "=" + Files.size(file));
            }
            return String.join(" ", entries);
        }
    }

    /** Whether the process has a segment of the log memory-mapped: what group and none mode do on Linux. */
    private static boolean mapsASegment(long pid, Path dir) {
        try (Stream<String> maps = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
            return maps.anyMatch(line -> line.contains(dir.toString()) && line.endsWith(".wal"));
        } catch (IOException e) {
            // The process ended between the check that it runs and here: the caller's checks report that.
            return false;
        }
    }

    /** The file system refuses writes after the shutdown, or the shutdown was no shutdown at all. */
    private static void assertShutDown(Path mount, String context) {
        try {
            Files.writeString(mount.resolve("after-shutdown"), "x");
        } catch (IOException expected) {
            return;
        }
        throw new AssertionError(context + ": a file could still be written after the shutdown ioctl");
    }

    /** How the child ended, in a form that is the same across cycles: exit code and the first failure's kind. */
    private static String describeEnd(int exit, List<String> failures, Path stderr) throws IOException {
        String first;
        synchronized (failures) {
            first = failures.isEmpty() ? "killed while running" : failures.get(0).replaceAll("\\d+", "#");
        }
        if (first.length() > 160) {
            first = first.substring(0, 160) + "...";
        }
        boolean crashed = Files.readString(stderr).contains("A fatal error has been detected");
        return "exit " + exit + (crashed ? " (JVM crash)" : "") + ": " + first;
    }

    /** JVM crash reports of a child, which a fault in a mapped page could produce; counted, then removed. */
    private void deleteCrashReports(Figures figures) throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList()) {
                figures.childEnds.add("crash report " + file.getFileName().toString().replaceAll("\\d+", "#"));
                Files.delete(file);
            }
        }
    }

    private static void readReports(Process child, Ledger ledger, CountDownLatch ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else {
                    ledger.record(line);
                }
            }
        } catch (IOException e) {
            ledger.failures.add("reading the child's output failed: " + e);
        }
    }

    /**
     * A file with one fsynced block and one unsynced one, written just before the shutdown: after the remount
     * the first must be there (else fsynced data was lost) and the second should be gone.
     */
    private record Probe(Path file) {
        static Probe write(Path file) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writeBlock(channel, (byte) 'S', 0);
                channel.force(true);
                try (FileChannel parent = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                    parent.force(true); // the new name is durable too
                }
                writeBlock(channel, (byte) 'U', PROBE_BLOCK);
            }
            return new Probe(file);
        }

        private static void writeBlock(FileChannel channel, byte fill, long position) throws IOException {
            byte[] block = new byte[PROBE_BLOCK];
            Arrays.fill(block, fill);
            ByteBuffer buffer = ByteBuffer.wrap(block);
            while (buffer.hasRemaining()) {
                channel.write(buffer, position + buffer.position());
            }
        }

        /** Returns whether the unsynced block was dropped; fails if the synced one is not intact. */
        boolean check(String context) throws IOException {
            assertThat(file).as("%s: the fsynced probe file after the power loss", context).exists();
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes.length).as("%s: the probe's length (one synced block, one unsynced)", context)
                    .isIn(PROBE_BLOCK, 2 * PROBE_BLOCK);
            for (int i = 0; i < PROBE_BLOCK; i++) {
                if (bytes[i] != 'S') {
                    throw new AssertionError(context + ": the probe's fsynced block is damaged at byte " + i);
                }
            }
            return bytes.length == PROBE_BLOCK;
        }

        void delete() throws IOException {
            Files.delete(file);
        }
    }

    /**
     * When the shutdown ioctl ran, on {@code CLOCK_MONOTONIC}: {@code before} just before the call, so nothing
     * of the shutdown happened earlier, and {@code after} once it had returned.
     */
    private record ShutdownWindow(long before, long after) {
        static ShutdownWindow parse(LoopFileSystem.Result shutdown, String context) {
            Map<String, Long> stamps = new HashMap<>();
            for (String line : shutdown.output().split("\n")) {
                String[] words = line.strip().split(" ");
                if (words.length == 2 && (words[0].equals("T0") || words[0].equals("T1"))) {
                    stamps.put(words[0], Long.parseLong(words[1]));
                }
            }
            assertThat(stamps).as("%s: the shutdown's clock readings in %s", context, shutdown)
                    .containsKeys("T0", "T1");
            return new ShutdownWindow(stamps.get("T0"), stamps.get("T1"));
        }

        /** Where a moment lies relative to the shutdown, in microseconds from its start. */
        String describe(long nanos) {
            String where = nanos < before ? "before" : nanos <= after ? "during" : "after";
            return where + " the shutdown (" + String.format(Locale.ROOT, "%+d", (nanos - before) / 1000) + " µs)";
        }
    }

    /** One fsync the child reported ({@link TracingFileIO}). */
    private record Sync(boolean ok, long covers, long start, long end, String file) {
        static Sync parse(String[] words) {
            return new Sync(words[1].equals("ok"), Long.parseLong(words[2]), Long.parseLong(words[3]),
                    Long.parseLong(words[4]), words[5]);
        }

        /**
         * Whether this fsync made {@code lsn} durable, if the kernel kept its word: it succeeded, it synced a
         * segment, and the record was in the operating system before it started. The record is then in that
         * segment, the active one, or in an older one, sealed with an fsync of its own before the active one
         * existed.
         */
        boolean covered(long lsn) {
            return ok && file.endsWith(".wal") && covers >= lsn;
        }

        String describe(ShutdownWindow window) {
            return file + " " + (ok ? "ok" : "failed") + " from " + window.describe(start) + " to "
                    + window.describe(end);
        }
    }

    /**
     * What the child of each cycle reported, and the checks of the recovered graph. Lines are recorded by the
     * reader thread while the test thread polls the acknowledgement count, hence the synchronisation; the check
     * runs after the reader has finished.
     */
    private static final class Ledger {
        final SyncMode mode;
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        /** Every transaction ever attempted, over all cycles. */
        private final Set<String> attempted = new HashSet<>();
        /** Every transaction present at the previous check: nothing is deleted, so all must stay. */
        private Set<String> previouslyPresent = new HashSet<>();
        // The current cycle.
        private final Set<String> attemptedNow = new HashSet<>();
        private final Map<String, Long> lsnOf = new HashMap<>();
        /** Per-commit and group mode: when each acknowledgement was known, on the child's clock. */
        private final Map<String, Long> durable = new HashMap<>();
        /** None mode: each returned flush's durable LSN and when it returned, in the order they returned. */
        private final List<long[]> flushes = new ArrayList<>();
        private final List<Sync> syncs = new ArrayList<>();
        private long flushedUpTo;
        volatile boolean powerLost;

        Ledger(SyncMode mode) {
            this.mode = mode;
        }

        synchronized void record(String line) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "A" -> {
                    attempted.add(words[1]);
                    attemptedNow.add(words[1]);
                }
                case "C" -> lsnOf.put(words[1], Long.parseLong(words[2]));
                case "D" -> durable.put(words[1], Long.parseLong(words[2]));
                case "F" -> {
                    long lsn = Long.parseLong(words[1]);
                    flushes.add(new long[] {lsn, Long.parseLong(words[2])});
                    flushedUpTo = Math.max(flushedUpTo, lsn);
                }
                case "S" -> syncs.add(Sync.parse(words));
                default -> {
                    // The child's failure once the file system is gone is expected; before, it is a failure.
                    failures.add((powerLost ? "after the power loss: " : "") + line);
                }
            }
        }

        /** The transactions acknowledged as durable by the rule of the mode. */
        synchronized Set<String> acknowledged() {
            if (mode != SyncMode.NONE) {
                return new HashSet<>(durable.keySet());
            }
            Set<String> covered = new HashSet<>();
            lsnOf.forEach((tx, lsn) -> {
                if (lsn <= flushedUpTo) {
                    covered.add(tx);
                }
            });
            return covered;
        }

        int acknowledgedThisCycle() {
            return acknowledged().size();
        }

        synchronized int committed() {
            return lsnOf.size();
        }

        /** When {@code tx} was acknowledged: in none mode when the first flush covering its LSN returned. */
        private long acknowledgedAt(String tx) {
            if (mode != SyncMode.NONE) {
                return durable.get(tx);
            }
            long lsn = lsnOf.get(tx);
            for (long[] flush : flushes) {
                if (flush[0] >= lsn) {
                    return flush[1];
                }
            }
            throw new IllegalStateException(tx + " counted as flushed without a flush covering LSN " + lsn);
        }

        /**
         * Classifies an acknowledged transaction that is missing after the power loss. It is an artifact of
         * the shutdown, and this returns null, only if it was acknowledged after the shutdown began and the only
         * successful fsyncs of a segment covering it returned after the shutdown began: the kernel reported an
         * fsync in flight when the shutdown came as successful, although the journal commit it waited for was
         * dropped. Otherwise it returns why the loss is a violation: the kernel had reported it durable before
         * the power went, or it was acknowledged before the power went, or no fsync covering it succeeded.
         *
         * <p>"Began" is the clock reading just before the ioctl, and the kernel sets its shutdown flag later
         * still: ext4 first logs "shut down requested" at alert level, which goes to the console and took about
         * a millisecond here. So an fsync can start after the reading, pass ext4's check of the flag, and still
         * return success for a journal commit the shutdown then dropped; the covering fsync need not have
         * started before the reading.
         *
         * <p>Every time compared is a clock reading taken after the moment it stands for (the child reads the
         * clock after an fsync or an acknowledgement, the shutdown script just before the ioctl), so "before the
         * shutdown began" is never claimed for anything that was not; only the excuse can be too generous, by the
         * moments between a system call's return and the clock reading, which is why it needs both conditions.
         */
        private String classifyLoss(String tx, long lsn, ShutdownWindow window, Set<Sync> excusedBy) {
            Sync durableBefore = null;
            Sync durableDuring = null;
            for (Sync sync : syncs) {
                if (!sync.covered(lsn)) {
                    continue;
                }
                if (sync.end() < window.before()) {
                    if (durableBefore == null) {
                        durableBefore = sync;
                    }
                } else if (durableDuring == null) {
                    durableDuring = sync;
                }
            }
            if (durableBefore != null) {
                return "an fsync covering it had succeeded before the shutdown began: "
                        + durableBefore.describe(window);
            }
            if (acknowledgedAt(tx) < window.before()) {
                return "it was acknowledged before the shutdown began";
            }
            if (durableDuring == null) {
                return "no successful fsync of a segment covered it";
            }
            excusedBy.add(durableDuring);
            return null;
        }

        /**
         * Checks the recovered graph against the cycle's reports and the previous check, records the figures and
         * starts the next cycle.
         *
         * @return a line on what was found
         */
        synchronized String check(GraphView view, String context, Figures figures, boolean flushOnce,
                ShutdownWindow window) {
            long lastLsn = view.lsn();
            Map<String, Integer> present = new HashMap<>();
            for (Node node : view.nodesWithLabel(PowerLossChild.LABEL)) {
                present.merge(String.valueOf(node.properties().get("tx")), 1, Integer::sum);
            }
            Set<String> acknowledged = acknowledged();
            List<String> violations = figures.violations;
            int before = violations.size();
            present.forEach((tx, count) -> {
                if (!attempted.contains(tx)) {
                    violations.add("phantom: " + context + ": " + tx + " is present but was never attempted");
                }
                if (count != 1) {
                    violations.add("duplicate: " + context + ": " + tx + " is present " + count + " times");
                }
            });
            long lost = 0;
            TreeSet<Long> excused = new TreeSet<>();
            Set<Sync> excusedBy = new LinkedHashSet<>();
            long excusedFirstAcknowledged = Long.MAX_VALUE;
            long excusedLastAcknowledged = Long.MIN_VALUE;
            for (String tx : acknowledged) {
                if (!present.containsKey(tx)) {
                    String violation = classifyLoss(tx, lsnOf.get(tx), window, excusedBy);
                    if (violation == null) {
                        excused.add(lsnOf.get(tx));
                        excusedFirstAcknowledged = Math.min(excusedFirstAcknowledged, acknowledgedAt(tx));
                        excusedLastAcknowledged = Math.max(excusedLastAcknowledged, acknowledgedAt(tx));
                    } else {
                        lost++;
                        violations.add("lost: " + context + ": " + tx + " at LSN " + lsnOf.get(tx)
                                + ", acknowledged " + window.describe(acknowledgedAt(tx)) + ", is missing "
                                + "(recovered up to LSN " + lastLsn + ") and " + violation);
                    }
                }
            }
            for (String tx : previouslyPresent) {
                if (!present.containsKey(tx)) {
                    lost++;
                    violations.add("lost: " + context + ": " + tx + " was present after the previous recovery");
                }
            }
            // An exact prefix: LSNs are dense, one per transaction, each creating one node.
            if (view.nodeCount() != lastLsn) {
                violations.add("not a prefix: " + context + ": " + view.nodeCount() + " nodes but recovered up to LSN "
                        + lastLsn);
            }
            lsnOf.forEach((tx, lsn) -> {
                if (lsn <= lastLsn && !present.containsKey(tx)) {
                    violations.add("hole: " + context + ": " + tx + " at LSN " + lsn + " is missing below the "
                            + "recovered LSN " + lastLsn);
                } else if (lsn > lastLsn && present.containsKey(tx)) {
                    violations.add("beyond the end: " + context + ": " + tx + " at LSN " + lsn
                            + " is present above the recovered LSN " + lastLsn);
                }
            });
            long unacknowledged = 0;
            long unacknowledgedDropped = 0;
            for (String tx : lsnOf.keySet()) {
                if (!acknowledged.contains(tx)) {
                    unacknowledged++;
                    if (!present.containsKey(tx)) {
                        unacknowledgedDropped++;
                    }
                }
            }
            List<Sync> succeededDuring = syncs.stream()
                    .filter(sync -> sync.ok() && sync.file().endsWith(".wal") && sync.start() < window.before()
                            && sync.end() >= window.before())
                    .toList();
            long recoveredNow = attemptedNow.stream().filter(present::containsKey).count();
            figures.acknowledged += acknowledged.size();
            figures.recovered += recoveredNow;
            figures.lost += lost;
            figures.lostToShutdownFsyncs += excused.size();
            figures.cyclesLosingToShutdownFsyncs += excused.isEmpty() ? 0 : 1;
            figures.fsyncsSucceedingDuringShutdown += succeededDuring.size();
            figures.unacknowledged += unacknowledged;
            figures.unacknowledgedDropped += unacknowledgedDropped;
            if (flushOnce) {
                figures.flushOnceUnflushed = unacknowledged;
                figures.flushOnceDropped = unacknowledgedDropped;
            }
            String outcome = attemptedNow.size() + " attempted, " + lsnOf.size() + " committed, "
                    + acknowledged.size() + " acknowledged, " + recoveredNow + " recovered (up to LSN " + lastLsn
                    + "), " + lost + " lost, " + unacknowledgedDropped + " of " + unacknowledged
                    + " unacknowledged commits dropped, shutdown ioctl took "
                    + (window.after() - window.before()) / 1000 + " µs, " + succeededDuring.size()
                    + " segment fsyncs succeeded across its start" + (succeededDuring.isEmpty() ? ""
                            : " " + succeededDuring.stream().map(sync -> sync.describe(window)).toList())
                    + (excused.isEmpty() ? "" : "; lost to those fsyncs (not violations): " + excused.size()
                            + " acknowledged transactions, LSN " + excused.first() + " to " + excused.last()
                            + ", acknowledged from " + window.describe(excusedFirstAcknowledged) + " to "
                            + window.describe(excusedLastAcknowledged) + ", covered only by "
                            + excusedBy.stream().map(sync -> sync.describe(window)).toList())
                    + (violations.size() > before
                            ? ", violations: " + violations.subList(before, Math.min(violations.size(), before + 5))
                            : "");
            previouslyPresent = new HashSet<>(present.keySet());
            attemptedNow.clear();
            lsnOf.clear();
            durable.clear();
            flushes.clear();
            syncs.clear();
            flushedUpTo = 0;
            failures.clear();
            powerLost = false;
            return outcome;
        }
    }
}
