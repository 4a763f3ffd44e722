package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalReader;

/** The change feed hands every durable transaction to each subscriber once, in order, off the commit path. */
class ChangeFeedTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<GraphDatabase> open = new ArrayList<>();

    @AfterEach
    void closeAndCheckNoFeedThreadIsLeft() {
        open.forEach(GraphDatabase::close);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-feed["));
    }

    private GraphDatabase open(SyncMode mode, int retain) {
        GraphDatabase db = GraphDatabase.open(new DatabaseConfig(WalConfig.builder(dir).syncMode(mode)
                .segmentSize(16 * 1024).maxRecordSize(4096).build(), 0, retain));
        open.add(db);
        return db;
    }

    /** Records what a listener received, checking on the way that each was durable when it arrived. */
    private static final class Recorder implements ChangeListener {
        final GraphDatabase db;
        final List<CommittedTransaction> received = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        Recorder(GraphDatabase db) {
            this.db = db;
        }

        @Override
        public void onCommitted(CommittedTransaction transaction) {
            assertThat(db.wal().durableLsn()).as("durable LSN when %d arrived", transaction.lsn())
                    .isGreaterThanOrEqualTo(transaction.lsn());
            threads.add(Thread.currentThread().getName());
            received.add(transaction);
        }

        List<Long> lsns() {
            return received.stream().map(CommittedTransaction::lsn).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void deliversEveryDurableTransactionOnceInLsnOrderFromAnyHeldLsn(SyncMode mode) {
        GraphDatabase db = open(mode, 2);
        RandomGraphWorkload workload = new RandomGraphWorkload(7);
        for (int i = 0; i < 150; i++) {
            workload.step(db);
        }
        db.wal().flush();
        Recorder fromStart = new Recorder(db);
        Recorder fromMiddle = new Recorder(db);
        try (ChangeSubscription all = db.subscribe("all", 1, fromStart);
                ChangeSubscription later = db.subscribe("later", 57, fromMiddle)) {
            for (int i = 0; i < 150; i++) {
                workload.step(db);
            }
            long last = db.wal().flush();
            awaitUntil("both subscriptions reach LSN " + last,
                    () -> all.position() == last && later.position() == last);
            assertThat(fromStart.lsns()).isEqualTo(range(1, last));
            assertThat(fromMiddle.lsns()).isEqualTo(range(57, last));
            assertThat(fromStart.threads).containsOnly("graphwal-feed[all]");
            assertThat(fromMiddle.threads).containsOnly("graphwal-feed[later]");
            assertThat(all.failure()).isNull();
        }
        assertThat(fromStart.received).allSatisfy(tx -> assertThat(tx.committedAt()).isNotNull());
        assertThat(encoded(fromStart.received.stream().map(CommittedTransaction::mutations).toList()))
                .isEqualTo(encoded(loggedMutations(db)));
    }

    @Test
    void transactionsAreDeliveredOnlyOnceDurable() {
        GraphDatabase db = open(SyncMode.NONE, 2);
        Recorder recorder = new Recorder(db);
        try (ChangeSubscription subscription = db.subscribe("tail", 1, recorder)) {
            for (int i = 0; i < 5; i++) {
                db.commit(tx -> tx.createNode(List.of("A"), Map.of()));
            }
            // Nothing is durable in none mode until a flush; the recorder checks durability at each arrival.
            db.wal().flush();
            awaitUntil("the flushed transactions arrive", () -> subscription.position() == 5);
        }
        assertThat(recorder.lsns()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aPurgedLsnFailsNamingTheOldestLsnHeld() {
        GraphDatabase db = open(SyncMode.GROUP, 1);
        RandomGraphWorkload workload = new RandomGraphWorkload(3);
        for (int i = 0; i < 400; i++) {
            workload.step(db);
        }
        assertThat(db.checkpoint().segmentsPurged()).isPositive();
        long oldest = db.wal().firstLsn();
        assertThatThrownBy(() -> db.subscribe("too-late", oldest - 1, tx -> { }))
                .isInstanceOf(WalException.class).hasMessageContaining("oldest LSN it holds is " + oldest);
        long ahead = db.wal().appendedLsn() + 2;
        assertThatThrownBy(() -> db.subscribe("ahead", ahead, tx -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LSN " + ahead);
        assertThatThrownBy(() -> db.subscribe(" ", 1, tx -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        try (ChangeSubscription fromOldest = db.subscribe("oldest", oldest, tx -> { })) {
            assertThat(fromOldest.isRunning()).isTrue();
        }
    }

    @Test
    void aBlockedSubscriberNeitherStopsCommitsNorLetsPurgePassIt() throws InterruptedException {
        GraphDatabase db = open(SyncMode.GROUP, 1);
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        List<Long> received = new CopyOnWriteArrayList<>();
        try (ChangeSubscription slow = db.subscribe("slow", 1, tx -> {
            inListener.countDown();
            assertThat(gate.await(BOUND.toSeconds(), TimeUnit.SECONDS)).as("gate opened").isTrue();
            received.add(tx.lsn());
        })) {
            db.commit(tx -> tx.createNode(List.of("First"), Map.of()));
            assertThat(inListener.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // The listener is parked inside LSN 1; commits go on and a checkpoint may not purge what it needs.
            RandomGraphWorkload workload = new RandomGraphWorkload(11);
            for (int i = 0; i < 400; i++) {
                workload.step(db);
            }
            db.checkpoint();
            assertThat(db.wal().firstLsn()).as("the first LSN the log holds while the subscriber is at 1").isEqualTo(1);
            assertThat(slow.position()).isZero();
            gate.countDown();
            long last = db.wal().flush();
            awaitUntil("the slow subscriber catches up", () -> slow.position() == last);
            assertThat(received).isEqualTo(range(1, last));
            db.commit(tx -> tx.createNode(List.of("Last"), Map.of()));
            db.checkpoint();
            assertThat(db.wal().firstLsn()).as("purge passes once the subscriber moved on").isGreaterThan(1);
        }
    }

    @Test
    void aListenerThatThrowsStopsAtThatTransactionAndANewSubscriptionReceivesItAgain() {
        GraphDatabase db = open(SyncMode.PER_COMMIT, 2);
        for (int i = 0; i < 8; i++) {
            db.commit(tx -> tx.createNode(List.of("N"), Map.of()));
        }
        IllegalStateException refusal = new IllegalStateException("refused LSN 5");
        List<Long> firstRun = new CopyOnWriteArrayList<>();
        ChangeSubscription failing = db.subscribe("picky", 1, tx -> {
            if (tx.lsn() == 5) {
                throw refusal;
            }
            firstRun.add(tx.lsn());
        });
        awaitUntil("the subscription stops", () -> !failing.isRunning());
        assertThat(failing.failure()).isSameAs(refusal);
        assertThat(failing.position()).isEqualTo(4);
        assertThat(firstRun).containsExactly(1L, 2L, 3L, 4L);
        failing.close();
        Recorder again = new Recorder(db);
        try (ChangeSubscription resumed = db.subscribe("picky", failing.position() + 1, again)) {
            awaitUntil("the resumed subscription reaches LSN 8", () -> resumed.position() == 8);
        }
        assertThat(again.lsns()).containsExactly(5L, 6L, 7L, 8L);
    }

    @Test
    void closingTheDatabaseStopsItsSubscriptionsAndJoinsTheirThreads() {
        GraphDatabase db = open(SyncMode.GROUP, 2);
        ChangeSubscription waiting = db.subscribe("waiting", 1, tx -> { });
        db.close();
        assertThat(waiting.isRunning()).isFalse();
        assertThat(waiting.failure()).isNull();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("graphwal-feed[waiting]"));
        assertThatThrownBy(() -> db.subscribe("after", 1, tx -> { })).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("closed");
    }

    private static List<List<Mutation>> loggedMutations(GraphDatabase db) {
        List<List<Mutation>> logged = new ArrayList<>();
        try (WalReader reader = db.wal().reader(1)) {
            while (reader.next()) {
                logged.add(MutationCodec.decode(reader.payload()));
            }
        }
        return logged;
    }

    /** Mutations compare by encoding: byte-array values have no value equality. */
    private static List<String> encoded(List<List<Mutation>> transactions) {
        return transactions.stream().map(m -> Base64.getEncoder().encodeToString(MutationCodec.encode(m))).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> lsns = new ArrayList<>();
        for (long lsn = from; lsn <= to; lsn++) {
            lsns.add(lsn);
        }
        return lsns;
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000); // poll gently; the bound, not this pause, decides failure
        }
    }
}
