package io.graphwal.graph;

import static io.graphwal.graph.LoggedGraph.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.graph.GraphValidationException.Reason;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalPoisonedException;

/**
 * When readers see a transaction: never in part; in {@code per-commit} mode only once it is durable, and never
 * if its fsync fails (after which the graph is read-only and readers carry on); in {@code group} and
 * {@code none} modes as soon as the commit returns. Writers validate against transactions written ahead of
 * them that readers cannot see yet.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VisibilityTest {

    private static final long BOUND_SECONDS = 30;

    @TempDir
    Path dir;

    private final GatedFileIO io = new GatedFileIO();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private LoggedGraph live;

    @AfterEach
    void tearDown() throws InterruptedException {
        io.openGate();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("every test thread ended").isTrue();
        if (live != null) {
            live.close();
        }
    }

    private Graph open(SyncMode mode) {
        live = LoggedGraph.open(dir, mode, io);
        return live.graph;
    }

    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(60, TimeUnit.SECONDS)).as("the other threads reached the meeting point").isTrue();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        try {
            future.get(BOUND_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    // ---- (a) readers never see part of a transaction ---------------------------------------------------

    private static final int ROUND_NODES = 8;
    private static final int BALANCE_PAIRS = 4;
    private static final long BALANCE_TOTAL = 100;

    /**
     * Writers commit transactions of several mutations each, every one of which keeps an invariant that only
     * holds between transactions: all "Round" nodes carry the same round; each balance pair sums to 100;
     * "Pair" nodes come in linked twos (created and deleted together). Readers loop, checking every invariant
     * inside one {@code read}, and that the LSN they see never goes back.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void readersRunningAlongsideWritersNeverSeePartOfATransaction(SyncMode mode) throws Exception {
        Graph graph = open(mode);
        List<long[]> balances = graph.commit(tx -> {
            for (int i = 0; i < ROUND_NODES; i++) {
                tx.createNode(List.of("Round"), Map.of("round", 0L));
            }
            List<long[]> pairs = new ArrayList<>();
            for (int p = 0; p < BALANCE_PAIRS; p++) {
                pairs.add(new long[] {tx.createNode(List.of("Balance"), Map.of("pair", (long) p, "amount", 50L)),
                    tx.createNode(List.of("Balance"), Map.of("pair", (long) p, "amount", 50L))});
            }
            tx.createIndex("Pair", "pair");
            return pairs;
        }).value();
        long[] rounds = graph.read(v -> v.nodesWithLabel("Round").stream().mapToLong(Node::id).toArray());

        int writers = 3;
        int readers = 3;
        int commitsPerWriter = mode == SyncMode.PER_COMMIT ? 40 : 150;
        long seed = LoggedGraph.seed("VisibilityTest.readersRunningAlongsideWriters " + mode);
        AtomicBoolean writing = new AtomicBoolean(true);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch readersStarted = new CountDownLatch(readers);
        CountDownLatch halfway = new CountDownLatch(writers);
        CountDownLatch readersSawHalfway = new CountDownLatch(readers);
        List<Future<?>> writerFutures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Random random = new Random(seed + w);
            long writer = w;
            writerFutures.add(pool.submit((Callable<Void>) () -> {
                start.await();
                awaitLatch(readersStarted);
                List<long[]> myPairs = new ArrayList<>();
                for (int i = 0; i < commitsPerWriter; i++) {
                    if (i == commitsPerWriter / 2) {
                        halfway.countDown();
                        awaitLatch(readersSawHalfway);
                    }
                    long stamp = writer * 1_000_000 + i + 1;
                    switch (i % 4) {
                        case 0 -> myPairs.add(graph.commit(tx -> {
                            long a = tx.createNode(List.of("Pair"), Map.of("pair", stamp));
                            long b = tx.createNode(List.of("Pair"), Map.of("pair", stamp));
                            tx.createRelationship(a, b, "LINK", Map.of("pair", stamp));
                            return new long[] {a, b};
                        }).value());
                        case 1 -> graph.commit(tx -> {
                            for (long node : rounds) {
                                tx.setNodeProperty(node, "round", stamp);
                            }
                            return null;
                        });
                        case 2 -> {
                            long[] pair = balances.get(random.nextInt(BALANCE_PAIRS));
                            long amount = random.nextInt((int) BALANCE_TOTAL + 1);
                            graph.commit(tx -> {
                                tx.setNodeProperty(pair[0], "amount", amount);
                                tx.setNodeProperty(pair[1], "amount", BALANCE_TOTAL - amount);
                                return null;
                            });
                        }
                        default -> {
                            if (myPairs.size() > 1) {
                                long[] pair = myPairs.remove(0);
                                graph.commit(tx -> {
                                    tx.detachDeleteNode(pair[0]);
                                    tx.deleteNode(pair[1]); // its only relationship went with pair[0]
                                    return null;
                                });
                            }
                        }
                    }
                }
                return null;
            }));
        }
        List<Future<Set<Long>>> readerFutures = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            readerFutures.add(pool.submit(() -> {
                start.await();
                Set<Long> lsnsSeen = new HashSet<>();
                long lastLsn = 0;
                boolean sawHalfway = false;
                // Bounded: stop when the writers are done, or after this many reads whatever happens. The
                // first read is before any writer commits, one is while they all wait halfway, and one after
                // they are done, so the readers see the graph change however the threads are scheduled.
                for (int reads = 0; reads < 1_000_000 || !sawHalfway; reads++) {
                    boolean halfwayBefore = halfway.getCount() == 0;
                    boolean done = !writing.get();
                    long lsn = graph.read(view -> checkInvariants(view, violations));
                    if (lsn < lastLsn) {
                        report(violations, "the LSN went back from " + lastLsn + " to " + lsn);
                    }
                    lastLsn = lsn;
                    lsnsSeen.add(lsn);
                    if (reads == 0) {
                        readersStarted.countDown();
                    }
                    if (halfwayBefore && !sawHalfway) {
                        sawHalfway = true;
                        readersSawHalfway.countDown();
                    }
                    if (done) {
                        break;
                    }
                }
                return lsnsSeen;
            }));
        }
        start.countDown();
        try {
            for (Future<?> writer : writerFutures) {
                await(writer);
            }
        } finally {
            writing.set(false);
        }
        Set<Long> lsnsSeen = new HashSet<>();
        for (Future<Set<Long>> reader : readerFutures) {
            lsnsSeen.addAll(await(reader));
        }

        assertThat(violations).as("seed %d", seed).isEmpty();
        assertThat(lsnsSeen.size()).as("readers saw the graph before, halfway through and after the writes")
                .isGreaterThanOrEqualTo(3);
        graph.read(view -> checkInvariants(view, violations));
        assertThat(violations).isEmpty();
        assertThat(graph.read(GraphView::lsn)).isEqualTo(live.appendedLsn());
        GraphDump last = live.dump();
        try (LoggedGraph replayed = live.reopen()) {
            live = null;
            assertThat(replayed.dump()).isEqualTo(last);
        }
    }

    /** Records a violation, keeping the first few only so that a broken build fails fast and readably. */
    private static void report(Queue<String> violations, String violation) {
        if (violations.size() < 20) {
            violations.add(violation);
        }
    }

    /** Checks every invariant in one view; returns the view's LSN. */
    private static long checkInvariants(GraphView view, Queue<String> violations) {
        long lsn = view.lsn();
        Set<Object> roundValues = new HashSet<>();
        List<Node> roundNodes = view.nodesWithLabel("Round");
        roundNodes.forEach(node -> roundValues.add(node.properties().get("round")));
        if (roundNodes.size() != ROUND_NODES || roundValues.size() != 1) {
            report(violations, "at LSN " + lsn + " the round nodes disagree: " + roundNodes);
        }
        long[] sums = new long[BALANCE_PAIRS];
        for (Node node : view.nodesWithLabel("Balance")) {
            sums[(int) (long) (Long) node.properties().get("pair")] += (Long) node.properties().get("amount");
        }
        for (int p = 0; p < BALANCE_PAIRS; p++) {
            if (sums[p] != BALANCE_TOTAL) {
                report(violations, "at LSN " + lsn + " balance pair " + p + " sums to " + sums[p]);
            }
        }
        List<Node> pairNodes = view.nodesWithLabel("Pair");
        long links = view.relationshipTypes().getOrDefault("LINK", 0L);
        if (pairNodes.size() != 2 * links || view.relationshipCount() != links
                || view.nodeCount() != ROUND_NODES + 2 * BALANCE_PAIRS + pairNodes.size()
                || view.labels().getOrDefault("Pair", 0L) != pairNodes.size()) {
            report(violations, "at LSN " + lsn + ": " + pairNodes.size() + " pair nodes, " + links + " links, "
                    + view.relationshipCount() + " relationships, " + view.nodeCount() + " nodes");
        }
        for (Node node : pairNodes) {
            Object stamp = node.properties().get("pair");
            List<Relationship> relationships = view.relationships(node.id(), Direction.BOTH, null);
            List<Node> twins = view.nodesWithProperty("Pair", "pair", stamp);
            if (relationships.size() != 1 || twins.size() != 2 || !twins.contains(node)
                    || !stamp.equals(relationships.get(0).properties().get("pair"))) {
                report(violations, "at LSN " + lsn + " pair node " + node + " has " + relationships + " and twins "
                        + twins);
            }
        }
        return lsn;
    }

    // ---- (b) per-commit: invisible until durable -------------------------------------------------------

    @Test
    void inPerCommitModeATransactionIsInvisibleUntilItsFsyncCompletes() throws Exception {
        Graph graph = open(SyncMode.PER_COMMIT);
        long before = live.appendedLsn();
        io.closeGate();

        Future<Commit<Long>> commit = pool.submit(() -> graph.commit(tx -> tx.createNode(List.of("Person"),
                Map.of("name", "Ann"))));
        awaitUntil("the commit's fsync is held at the gate", () -> io.forcesAtGate() == 1);

        assertThat(live.appendedLsn()).as("the record is written").isEqualTo(before + 1);
        assertThat(live.wal.durableLsn()).isEqualTo(before);
        assertThat(commit).isNotDone();
        List<Node> people = graph.read(v -> v.nodesWithLabel("Person"));
        assertThat(people).isEmpty();
        assertThat(graph.read(GraphView::nodeCount)).isZero();
        assertThat(graph.read(GraphView::labels)).isEmpty();
        assertThat(graph.read(GraphView::lsn)).isEqualTo(before);
        assertThat(graph.node(0)).isEmpty();
        // Another thread's view is the same: nothing is visible to anyone.
        assertThat(await(pool.submit(() -> graph.read(GraphView::nodeCount)))).isZero();

        io.openGate();
        Commit<Long> done = await(commit);

        assertThat(done.lsn()).isEqualTo(before + 1);
        assertThat(done.durable()).isCompletedWithValue(done.lsn());
        assertThat(live.wal.durableLsn()).isGreaterThanOrEqualTo(done.lsn());
        assertThat(graph.node(done.value())).hasValueSatisfying(node -> assertThat(node.properties())
                .containsEntry("name", "Ann"));
        assertThat(graph.read(GraphView::lsn)).isEqualTo(done.lsn());
    }

    @Test
    void inPerCommitModeTheLimitsCountTransactionsStillAwaitingTheirFsync() throws Exception {
        Graph graph = open(SyncMode.PER_COMMIT);
        long node = graph.commit(tx -> tx.createNode(List.of(), Map.of())).value();
        int half = GraphLimits.MAX_LABELS_PER_NODE / 2;
        io.closeGate();
        Future<Commit<Object>> first = pool.submit(() -> graph.commit(tx -> addLabels(tx, node, "First", half + 1)));
        awaitUntil("the first commit's fsync is held at the gate", () -> io.forcesAtGate() == 1);

        // The store still shows no labels, but the node will have half + 1 once the first is applied.
        assertThat(graph.node(node).orElseThrow().labels()).isEmpty();
        assertThatThrownBy(() -> graph.commit(tx -> addLabels(tx, node, "Second", half)))
                .isInstanceOf(GraphValidationException.class).hasMessageContaining("at most "
                        + GraphLimits.MAX_LABELS_PER_NODE);

        io.openGate();
        await(first);
        graph.commit(tx -> addLabels(tx, node, "Second", half - 1));
        assertThat(graph.node(node).orElseThrow().labels()).hasSize(GraphLimits.MAX_LABELS_PER_NODE);
    }

    private static Object addLabels(Transaction tx, long node, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            tx.addLabel(node, prefix + i);
        }
        return null;
    }

    // ---- (c) per-commit: a failed fsync --------------------------------------------------------------

    @Test
    void inPerCommitModeATransactionWhoseFsyncFailsIsNeverVisibleAndTheGraphBecomesReadOnly() throws Exception {
        Graph graph = open(SyncMode.PER_COMMIT);
        long kept = graph.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Kept"))).value();
        GraphDump before = live.dump();
        long lsn = live.appendedLsn();
        io.failForces();

        Throwable thrown = catchThrowable(() -> graph.commit(tx -> tx.createNode(List.of("Person"),
                Map.of("name", "Lost"))));

        assertThat(thrown).isInstanceOf(WalPoisonedException.class);
        assertThat(((WalPoisonedException) thrown).poison().cause()).isInstanceOf(IOException.class)
                .hasMessageContaining("injected");
        assertThat(live.appendedLsn()).as("its record was written before the fsync").isEqualTo(lsn + 1);
        assertThat(live.dump()).as("but readers never see it").isEqualTo(before);
        List<Node> lost = graph.read(v -> v.nodesWithProperty("Person", "name", "Lost"));
        assertThat(lost).isEmpty();

        AtomicBoolean ran = new AtomicBoolean();
        Throwable later = catchThrowable(() -> graph.commit(tx -> {
            ran.set(true);
            return tx.createNode(List.of(), Map.of());
        }));
        assertThat(later).as("later commits fail fast").isInstanceOf(WalPoisonedException.class);
        assertThat(((WalPoisonedException) later).poison().cause()).isSameAs(
                ((WalPoisonedException) thrown).poison().cause());
        assertThat(ran).as("without running the transaction").isFalse();
        assertThat(live.appendedLsn()).isEqualTo(lsn + 1);
        assertThat(io.failedForces()).as("the failed fsync is never retried").isEqualTo(1);

        assertThat(graph.node(kept)).as("reads keep working").isPresent();
        assertThat(live.dump()).isEqualTo(before);
        assertThat(await(pool.submit(() -> graph.read(GraphView::nodeCount)))).isEqualTo(1);
    }

    @Test
    void inPerCommitModeWhenAnFsyncFailsNoneOfTheTransactionsWaitingForItBecomesVisible() throws Exception {
        Graph graph = open(SyncMode.PER_COMMIT);
        GraphDump before = live.dump();
        io.closeGate();
        io.failForces();
        AtomicLong first = new AtomicLong(-1);

        Future<?> leader = pool.submit(() -> graph.commit(tx -> {
            first.set(tx.createNode(List.of("A"), Map.of()));
            return null;
        }));
        awaitUntil("the first commit's fsync is held", () -> io.forcesAtGate() == 1);
        Future<?> follower = pool.submit(() -> graph.commit(tx -> {
            long b = tx.createNode(List.of("B"), Map.of());
            return tx.createRelationship(b, first.get(), "NEEDS", Map.of());
        }));
        awaitUntil("the second commit is handed to the log", () -> live.handedOverLsn() == 2);
        io.openGate();

        assertThat(failureOf(leader)).isInstanceOf(WalPoisonedException.class);
        assertThat(failureOf(follower)).isInstanceOf(WalPoisonedException.class);
        assertThat(live.dump()).isEqualTo(before);
        assertThat(catchThrowable(() -> graph.commit(tx -> tx.createNode(List.of(), Map.of()))))
                .isInstanceOf(WalPoisonedException.class);
        assertThat(io.failedForces()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void inEveryModeATransactionWhoseWriteFailsIsNeverVisibleAndTheGraphBecomesReadOnly(SyncMode mode) {
        Graph graph = open(mode);
        graph.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Kept")));
        GraphDump before = live.dump();
        long lsn = live.appendedLsn();
        io.failWrites();

        Throwable thrown = catchThrowable(() -> graph.commit(tx -> tx.createNode(List.of("Person"),
                Map.of("name", "Lost"))));

        assertThat(thrown).isInstanceOf(WalPoisonedException.class);
        assertThat(((WalPoisonedException) thrown).poison().cause()).hasMessageContaining("injected write failure");
        assertThat(live.appendedLsn()).isEqualTo(lsn);
        assertThat(live.dump()).as("the graph is never ahead of the log").isEqualTo(before);
        assertThat(catchThrowable(() -> graph.commit(tx -> tx.createNode(List.of(), Map.of()))))
                .isInstanceOf(WalPoisonedException.class);
        assertThat(live.dump()).isEqualTo(before);
    }

    @Test
    void inGroupModeAFailedBackgroundFsyncMakesTheGraphReadOnlyButKeepsWhatReadersSaw() throws Exception {
        Graph graph = open(SyncMode.GROUP);
        io.closeGate();
        io.failForces();
        Commit<Long> commit = graph.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Ann")));
        assertThat(graph.node(commit.value())).as("visible once written, as group mode allows").isPresent();
        GraphDump seen = live.dump();

        io.openGate();
        awaitUntil("the flusher's fsync has failed", () -> live.wal.poison() != null);

        Throwable durable = catchThrowable(() -> commit.durable().get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertThat(durable).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WalPoisonedException.class);
        assertThat(catchThrowable(() -> graph.commit(tx -> tx.createNode(List.of(), Map.of()))))
                .isInstanceOf(WalPoisonedException.class);
        assertThat(live.dump()).as("readers keep what they saw").isEqualTo(seen);
        assertThat(io.failedForces()).as("the failed fsync is never retried").isEqualTo(1);
    }

    // ---- (d) group and none: visible when the commit returns -------------------------------------------

    @Test
    void inGroupModeACommitIsVisibleWhenItReturnsAndDurableOnceTheFlusherFsyncs() throws Exception {
        Graph graph = open(SyncMode.GROUP);
        io.closeGate(); // no fsync can complete from here on, so durability must wait for the gate

        Commit<Long> commit = graph.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Ann")));

        assertThat(graph.node(commit.value())).as("visible as soon as the commit returns").isPresent();
        assertThat(graph.read(GraphView::lsn)).isEqualTo(commit.lsn());
        assertThat(live.wal.durableLsn()).isLessThan(commit.lsn());
        assertThat(commit.durable()).isNotDone();

        io.openGate();

        assertThat(commit.durable().get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(commit.lsn());
        assertThat(live.wal.durableLsn()).isGreaterThanOrEqualTo(commit.lsn());
    }

    @Test
    void inGroupModeManyCommitsInARowAreEachVisibleOnReturnAndAllBecomeDurable() throws Exception {
        Graph graph = open(SyncMode.GROUP);
        List<Commit<Long>> commits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long n = i;
            Commit<Long> commit = graph.commit(tx -> tx.createNode(List.of("N"), Map.of("n", n)));
            assertThat(graph.node(commit.value())).isPresent();
            assertThat(graph.read(GraphView::nodeCount)).isEqualTo(i + 1);
            commits.add(commit);
        }
        for (Commit<Long> commit : commits) {
            assertThat(commit.durable().get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(commit.lsn());
        }
    }

    @Test
    void inNoneModeACommitIsVisibleWhenItReturnsAndDurableAfterAFlush() throws Exception {
        Graph graph = open(SyncMode.NONE);

        Commit<Long> commit = graph.commit(tx -> tx.createNode(List.of("Person"), Map.of()));

        assertThat(graph.node(commit.value())).isPresent();
        assertThat(commit.durable()).isNotDone();
        live.wal.flush();
        assertThat(commit.durable().get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(commit.lsn());
    }

    // ---- (e) validating against transactions written ahead -------------------------------------------

    /**
     * While the first transaction's fsync is held, later ones are validated against it and against each
     * other: a relationship to its node is accepted, deleting that node is refused while a pending
     * relationship holds it, detach-deleting it is accepted, and then the node is gone for the next one. No
     * reader sees any of it until the fsyncs complete; then all of it, in order.
     */
    @Test
    void inPerCommitModeWritersValidateAgainstTransactionsWrittenAheadThatAreNotYetVisible() throws Exception {
        Graph graph = open(SyncMode.PER_COMMIT);
        io.closeGate();
        AtomicLong a = new AtomicLong(-1);

        Future<Long> createA = pool.submit(() -> graph.commit(tx -> {
            a.set(tx.createNode(List.of("A"), Map.of("name", "a")));
            return a.get();
        }).lsn());
        awaitUntil("the fsync of A is held", () -> io.forcesAtGate() == 1);
        assertThat(graph.read(GraphView::nodeCount)).isZero();

        AtomicLong b = new AtomicLong(-1);
        AtomicLong needs = new AtomicLong(-1);
        Future<Long> relateToA = pool.submit(() -> graph.commit(tx -> {
            b.set(tx.createNode(List.of("B"), Map.of()));
            needs.set(tx.createRelationship(b.get(), a.get(), "NEEDS", Map.of()));
            return null;
        }).lsn());
        awaitUntil("the relationship to A is handed to the log", () -> live.handedOverLsn() == 2);

        Commit<Boolean> seen = graph.commit(tx -> tx.nodeExists(a.get()) && tx.nodeExists(b.get()));
        assertThat(seen.value()).as("a transaction sees both pending nodes").isTrue();
        assertThat(seen.lsn()).as("and, changing nothing, waits for nothing").isZero();

        Throwable deleteA = catchThrowable(() -> graph.commit(tx -> {
            tx.deleteNode(a.get());
            return null;
        }));
        assertThat(deleteA).as("deleting A sees the pending relationship").isInstanceOf(GraphValidationException.class);
        assertThat(((GraphValidationException) deleteA).reason()).isEqualTo(Reason.CONFLICT);

        Future<Long> detachA = pool.submit(() -> graph.commit(tx -> {
            tx.detachDeleteNode(a.get());
            return null;
        }).lsn());
        awaitUntil("the detach-delete of A is handed to the log", () -> live.handedOverLsn() == 3);

        Throwable relateAgain = catchThrowable(() -> graph.commit(tx -> tx.createRelationship(b.get(), a.get(),
                "NEEDS", Map.of())));
        assertThat(relateAgain).as("A is gone for the next transaction").isInstanceOf(GraphValidationException.class);
        assertThat(((GraphValidationException) relateAgain).reason()).isEqualTo(Reason.NOT_FOUND);
        Throwable deleteAgain = catchThrowable(() -> graph.commit(tx -> {
            tx.deleteRelationship(needs.get());
            return null;
        }));
        assertThat(((GraphValidationException) deleteAgain).reason()).as("and so is its relationship")
                .isEqualTo(Reason.NOT_FOUND);

        assertThat(live.handedOverLsn()).isEqualTo(3);
        assertThat(live.appendedLsn()).as("only the first fsync's record is written; the rest wait in the batch")
                .isEqualTo(1);
        assertThat(graph.read(GraphView::nodeCount)).as("readers still see nothing").isZero();
        assertThat(graph.read(GraphView::lsn)).isZero();
        assertThat(List.of(createA, relateToA, detachA)).noneMatch(Future::isDone);

        io.openGate();

        assertThat(await(createA)).isEqualTo(1);
        assertThat(await(relateToA)).isEqualTo(2);
        assertThat(await(detachA)).isEqualTo(3);
        GraphDump after = live.dump();
        assertThat(after.lsn()).isEqualTo(3);
        assertThat(after.nodes().keySet()).containsExactly(b.get());
        assertThat(after.relationships()).isEmpty();
        assertThat(after.labels()).isEqualTo(Map.of("B", 1L));
        try (LoggedGraph replayed = live.reopen()) {
            live = null;
            assertThat(replayed.dump()).isEqualTo(after);
        }
    }
}
