package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;

/**
 * The kill -9 crash loop: a child JVM ({@link CrashLoopChild}) commits concurrently into one directory and
 * is killed with SIGKILL at a random moment; the directory is reopened and checked by {@link CrashLoopLedger}
 * (every acknowledged transaction present and whole, nothing unattempted, no deletion half-applied); the next
 * cycle carries on in the same directory, so every open is a recovery after a recovery, and snapshots,
 * rollover and purge all run under the kill. Cycles alternate between {@code per-commit} mode and
 * {@code group} mode awaiting {@code Commit.durable()}.
 *
 * <p>100 cycles by default, 2,000 with {@code -Dgraphwal.test.long=true}; {@code -Dgraphwal.test.seed} repeats
 * a run's kill moments. The figures go to {@code target/reliability/crash-loop.txt}.
 */
class CrashLoopTest {

    private static final int CYCLES = SuiteSummary.longMode() ? 2_000 : 100;
    private static final int WRITERS = 4;
    private static final long READY_BOUND_SECONDS = 120;

    @TempDir
    Path root;

    @Test
    void noAcknowledgedTransactionIsLostAndNothingUnattemptedAppearsAcrossKilledProcesses() throws Exception {
        long seed = SuiteSummary.seed();
        System.out.println("crash loop: seed " + seed + " (repeat with -Dgraphwal.test.seed=" + seed + "), "
                + CYCLES + " cycles");
        Random random = new Random(seed);
        Path dir = root.resolve("data");
        CrashLoopLedger ledger = new CrashLoopLedger();
        int recoveryFailures = 0;
        int cycles = 0;
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                SyncMode mode = cycle % 2 == 1 ? SyncMode.PER_COMMIT : SyncMode.GROUP;
                long killAfterMillis = 50 + random.nextInt(351);
                String context = "cycle " + cycle + " (" + mode + ", killed " + killAfterMillis
                        + " ms after ready, seed " + seed + ")";
                runAndKill(dir, mode, cycle, random.nextLong(), killAfterMillis, ledger, context);
                try (GraphDatabase db = GraphDatabase.open(CrashLoopChild.config(dir, SyncMode.PER_COMMIT))) {
                    db.read(view -> ledger.check(view, context));
                } catch (RuntimeException e) {
                    recoveryFailures++;
                    ledger.totals().violations.add("recovery failure: " + context + ": " + e);
                    break; // later cycles would only repeat it
                }
                cycles = cycle;
                if (ledger.totals().violations.size() > 0) {
                    break;
                }
                if (cycle % 100 == 0) {
                    // Progress for long runs, in the summary's own terms.
                    System.out.println("crash loop: " + figures(cycles, ledger.totals(), recoveryFailures, seed));
                }
            }
        } finally {
            SuiteSummary.write("crash-loop", figures(cycles, ledger.totals(), recoveryFailures, seed));
        }
        assertThat(ledger.totals().violations).as("crash loop violations, seed %d", seed).isEmpty();
        assertThat(cycles).isEqualTo(CYCLES);
        assertThat(ledger.totals().acknowledged).as("the child acknowledged transactions at all").isPositive();
    }

    private static String figures(int cycles, CrashLoopLedger.Totals totals, int recoveryFailures, long seed) {
        return "cycles=" + cycles + " acknowledged=" + totals.acknowledged + " attempted=" + totals.attempted
                + " lost=" + totals.lost + " phantom=" + totals.phantom + " torn=" + totals.torn
                + " recovery-failures=" + recoveryFailures + " seed=" + seed;
    }

    private static void runAndKill(Path dir, SyncMode mode, int cycle, long childSeed, long killAfterMillis,
            CrashLoopLedger ledger, String context) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile(dir.getParent(), "child-" + cycle + "-", ".err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx128m", "-Xss512k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), CrashLoopChild.class.getName(), dir.toString(),
                mode.name(), Integer.toString(cycle), Integer.toString(WRITERS), Long.toString(childSeed)));
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        CountDownLatch ready = new CountDownLatch(1);
        List<String> failures = new ArrayList<>();
        Thread reader = new Thread(() -> readReports(child, ledger, ready, failures), "crash-loop-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(READY_BOUND_SECONDS, TimeUnit.SECONDS) || !child.isAlive()) {
                throw new AssertionError(context + ": the child did not report READY (exit "
                        + (child.isAlive() ? "none" : child.exitValue()) + ", " + failures + "): "
                        + Files.readString(stderr));
            }
            // The kill moment itself is the random variable under test; nothing waits for a condition here.
            Thread.sleep(killAfterMillis);
            if (!child.isAlive()) {
                throw new AssertionError(context + ": the child exited by itself with " + child.exitValue() + " "
                        + failures + ": " + Files.readString(stderr));
            }
        } finally {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the child's
            // stdout, dropping lines it flushed just before it died.
            child.toHandle().destroyForcibly();
            if (!child.waitFor(READY_BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(context + ": the child survived SIGKILL");
            }
            // The reader sees end of stream once the killed child's pipe is closed; every line flushed before
            // the kill has been read by then.
            reader.join(TimeUnit.SECONDS.toMillis(READY_BOUND_SECONDS));
        }
        assertThat(reader.isAlive()).as("%s: the reader never saw the end of the child's output", context).isFalse();
        assertThat(failures).as("%s: child reported failures; stderr: %s", context, Files.readString(stderr)).isEmpty();
        Files.delete(stderr);
    }

    private static void readReports(Process child, CrashLoopLedger ledger, CountDownLatch ready,
            List<String> failures) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (!ledger.record(line)) {
                    synchronized (failures) {
                        failures.add(line);
                    }
                }
            }
        } catch (IOException e) {
            synchronized (failures) {
                failures.add("reading the child's output failed: " + e);
            }
        }
    }
}
