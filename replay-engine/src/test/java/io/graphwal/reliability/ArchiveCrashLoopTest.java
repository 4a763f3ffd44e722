package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.archive.ArchiveRestore;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.graph.Node;
import io.graphwal.io.FileIO;
import io.graphwal.replay.GraphDatabase;

/**
 * kill -9 while archiving: a child JVM ({@link ArchiveCrashChild}) commits into a directory that archives
 * itself and is killed at a random moment; the archive alone is then restored into an empty directory (as
 * after the loss of the disk) and checked, and the next cycle carries on in the original directory, so the
 * archiver resumes after every kill.
 *
 * <p>The restored graph must: hold exactly as many nodes as its LSN (one per transaction: a prefix of the
 * history, nothing torn); hold only attempted transactions; reach at least the last LSN the child's archiver
 * reported archived; and hold every transaction acknowledged at or below that LSN and at or below its own LSN.
 * Those rules depend on nothing but what the child reported.
 *
 * <p>The time promise (a lost disk costs at most {@code max-lag} of transactions, plus the upload under way) is
 * asserted with a generous allowance for the upload and the scheduler, {@link #UPLOAD_ALLOWANCE}: no
 * transaction acknowledged more than {@code max-lag} plus that before the kill may be missing. In every sixth
 * cycle the writers stop after {@link #LONG_CYCLE_WRITING} and the kill comes more than the allowance later,
 * so that the rule bites: the newest transactions then sit in the active segment, and an archiver that shipped
 * only sealed segments, or stalled, would fail it. How many transactions acknowledged more than
 * {@code max-lag} alone before the kill were missing, and the oldest of them, is written to the summary as the
 * measured figure.
 *
 * <p>12 cycles by default, 200 with {@code -Dgraphwal.test.long=true}; {@code -Dgraphwal.test.seed} repeats
 * the kill moments. The figures go to {@code target/reliability/archive-crash-loop.txt}.
 */
class ArchiveCrashLoopTest {

    private static final int CYCLES = SuiteSummary.longMode() ? 200 : 12;
    private static final int WRITERS = 3;
    private static final long BOUND_SECONDS = 120;
    /** Added to {@code max-lag} for the upload under way at the kill and a loaded machine's scheduling. */
    static final Duration UPLOAD_ALLOWANCE = Duration.ofSeconds(4);
    private static final int LONG_CYCLE_EVERY = 6;
    private static final long LONG_CYCLE_WRITING = 500;

    @TempDir
    Path root;

    /** What one child reported, read by one thread and checked after it finished. */
    private static final class Reports {
        final Set<String> attempted = new HashSet<>();
        final Map<String, Long> acknowledgedLsn = new HashMap<>();
        final Map<String, Long> acknowledgedAtNanos = new HashMap<>();
        long archived;
        final List<String> unexpected = new ArrayList<>();
    }

    @Test
    void theArchiveAloneRestoresEverythingItReportedArchivedAfterEachKill() throws Exception {
        long seed = SuiteSummary.seed();
        Random random = new Random(seed);
        Path dir = root.resolve("data");
        Path archive = root.resolve("archive");
        Set<String> everAttempted = new HashSet<>();
        List<String> violations = new ArrayList<>();
        long acknowledged = 0;
        long lateAfterMaxLag = 0;
        long acknowledgedBeforeMaxLag = 0;
        long oldestMissingNanos = 0;
        int cycles = 0;
        try {
            for (int cycle = 1; cycle <= CYCLES && violations.isEmpty(); cycle++) {
                boolean longCycle = cycle % LONG_CYCLE_EVERY == 0;
                long killAfterMillis = longCycle
                        ? LONG_CYCLE_WRITING + UPLOAD_ALLOWANCE.toMillis() + 1000 + random.nextInt(1000)
                        : 100 + random.nextInt(500);
                String context = "cycle " + cycle + " (killed " + killAfterMillis + " ms after ready, seed " + seed
                        + ")";
                Reports reports = new Reports();
                long killedAt = runAndKill(dir, archive, cycle, killAfterMillis, longCycle, reports, context);
                everAttempted.addAll(reports.attempted);
                assertThat(reports.unexpected).as(context).isEmpty();

                Path restored = root.resolve("restored-" + cycle);
                ArchiveRestore.Report report = ArchiveRestore.restore(new DirectoryArchiveTarget(archive),
                        FileIO.standard(), restored, ArchiveRestore.Point.newest());
                Set<String> present = new HashSet<>();
                long nodes;
                try (GraphDatabase db = GraphDatabase.open(ArchiveCrashChild.config(restored, null))) {
                    nodes = db.read(view -> {
                        for (Node node : view.nodesWithLabel("Archived")) {
                            present.add((String) node.properties().get("tx"));
                        }
                        return view.nodeCount();
                    });
                }
                long lsn = report.lsn();
                if (nodes != lsn) {
                    violations.add(context + ": the restored graph at LSN " + lsn + " holds " + nodes + " nodes");
                }
                if (lsn < reports.archived) {
                    violations.add(context + ": restored to LSN " + lsn + " but the archiver reported LSN "
                            + reports.archived + " archived");
                }
                for (String tx : present) {
                    if (!everAttempted.contains(tx)) {
                        violations.add(context + ": " + tx + " was restored but never attempted");
                    }
                }
                long promised = ArchiveCrashChild.MAX_LAG.plus(UPLOAD_ALLOWANCE).toNanos();
                for (Map.Entry<String, Long> ack : reports.acknowledgedLsn.entrySet()) {
                    if (ack.getValue() <= lsn && !present.contains(ack.getKey())) {
                        violations.add(context + ": " + ack.getKey() + " (LSN " + ack.getValue() + ") was "
                                + "acknowledged and is at or below the restored LSN " + lsn + " but missing");
                    }
                    long age = killedAt - reports.acknowledgedAtNanos.get(ack.getKey());
                    boolean missing = !present.contains(ack.getKey());
                    if (age > ArchiveCrashChild.MAX_LAG.toNanos()) {
                        acknowledgedBeforeMaxLag++;
                        if (missing) {
                            lateAfterMaxLag++;
                            oldestMissingNanos = Math.max(oldestMissingNanos, age);
                        }
                    }
                    if (missing && age > promised) {
                        violations.add(context + ": " + ack.getKey() + " (LSN " + ack.getValue() + ") was "
                                + "acknowledged " + age / 1_000_000 + " ms before the kill, more than max-lag "
                                + "plus " + UPLOAD_ALLOWANCE.toMillis() + " ms, and is missing from the archive");
                    }
                }
                acknowledged += reports.acknowledgedLsn.size();
                deleteTree(restored);
                cycles = cycle;
            }
        } finally {
            SuiteSummary.write("archive-crash-loop", "cycles=" + cycles + " acknowledged=" + acknowledged
                    + " acknowledged-more-than-max-lag-before-the-kill=" + acknowledgedBeforeMaxLag
                    + " of-those-not-restored=" + lateAfterMaxLag + " oldest-of-those-ms="
                    + oldestMissingNanos / 1_000_000 + " max-lag=" + ArchiveCrashChild.MAX_LAG.toMillis()
                    + "ms violations=" + violations.size() + " seed=" + seed);
        }
        assertThat(violations).as("archive crash loop, seed %d", seed).isEmpty();
        assertThat(cycles).isEqualTo(CYCLES);
        assertThat(acknowledged).as("the child acknowledged transactions at all").isPositive();
    }

    /** Runs a child until {@code killAfterMillis} after it is ready, kills it, and returns the kill moment. */
    private static long runAndKill(Path dir, Path archive, int cycle, long killAfterMillis, boolean longCycle,
            Reports reports, String context) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile(dir.getParent(), "archive-child-" + cycle + "-", ".err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-Xmx128m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), ArchiveCrashChild.class.getName(), dir.toString(),
                archive.toString(), Integer.toString(cycle), Integer.toString(WRITERS),
                Long.toString(longCycle ? LONG_CYCLE_WRITING : 0));
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> read(child, reports, ready), "archive-crash-reader");
        reader.setDaemon(true);
        reader.start();
        long killedAt;
        try {
            if (!ready.await(BOUND_SECONDS, TimeUnit.SECONDS) || !child.isAlive()) {
                throw new AssertionError(context + ": the child did not report READY: " + Files.readString(stderr));
            }
            // The kill moment is the random variable under test; nothing waits for a condition here.
            Thread.sleep(killAfterMillis);
        } finally {
            killedAt = System.nanoTime();
            child.toHandle().destroyForcibly();
            if (!child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(context + ": the child survived SIGKILL");
            }
            reader.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        }
        assertThat(reader.isAlive()).as("%s: the reader never saw the end of the child's output", context).isFalse();
        assertThat(reports.unexpected).as("%s: stderr: %s", context, Files.readString(stderr)).isEmpty();
        Files.delete(stderr);
        return killedAt;
    }

    private static void read(Process child, Reports reports, CountDownLatch ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] words = line.split(" ");
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (words[0].equals("A") && words.length == 2) {
                    reports.attempted.add(words[1]);
                } else if (words[0].equals("D") && words.length == 3) {
                    reports.acknowledgedLsn.put(words[1], Long.parseLong(words[2]));
                    reports.acknowledgedAtNanos.put(words[1], System.nanoTime());
                } else if (words[0].equals("ARCHIVED") && words.length == 2) {
                    reports.archived = Math.max(reports.archived, Long.parseLong(words[1]));
                } else {
                    reports.unexpected.add(line);
                }
            }
        } catch (IOException e) {
            reports.unexpected.add("reading the child's output failed: " + e);
        }
    }

    private static void deleteTree(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
