package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;

import io.graphwal.graph.GraphValidationException.Reason;

/**
 * The transactional graph: validates write transactions, writes each as one record to its
 * {@link TransactionLog}, and makes it visible to readers only as that log allows. The graph knows nothing of
 * files: where records go and when they are durable is the log's business.
 *
 * <p><b>Concurrency.</b> Writers serialise on the <em>writer lock</em>: a transaction is validated, encoded and
 * written to the log under it, so LSN order is commit order. Readers and the application of transactions to
 * the {@link GraphStore} are separated by a read/write <em>store lock</em>: a reader holds the read lock for
 * its whole {@link #read} call, so it sees whole transactions only, and a transaction is applied under the
 * write lock in one step. Where the log lets a transaction be seen before it is durable (the WAL's {@code group}
 * and {@code none} modes) it is applied right after its record is written. Where it must not
 * ({@link TransactionLog#visibleOnlyWhenDurable()}, the WAL's {@code per-commit} mode) it is kept as a pending layer ({@link PendingLayer}) that later
 * writers validate against, and the writer releases the writer lock to await its fsync (so concurrent writers
 * share one); whoever sees the durable LSN pass pending transactions applies them, in LSN order, under the
 * writer lock. So a reader never sees a transaction that is not durable, and one whose fsync fails is never
 * seen at all. A validation error or a failed write leaves the store untouched. Once the log refuses writes
 * ({@link TransactionLog#checkWritable()}: poisoned after a failed write or fsync, say), every commit fails
 * with the log's exception and readers keep working on the last visible state.
 * If a transaction that is already logged fails to apply (any {@link Throwable}: an {@link OutOfMemoryError},
 * say), the store may hold part of it, so the graph stops serving: reads, commits and freezes throw
 * {@link GraphFailedException}, and the log is {@linkplain TransactionLog#fail failed} with the same cause, so
 * that nothing later is acknowledged and a restart replays the transaction whole.
 *
 * <p>{@link #freeze()} hands out one {@link StoreImage} at a time.
 *
 * <p><b>Commit times.</b> Each logged transaction carries the time it committed, read from the graph's clock
 * under the writer lock and never earlier than the previous transaction's, so that within a process commit
 * times never decrease in LSN order even when the clock steps back.
 *
 * <p>Property values: boolean, long (int, short and byte widen), double (float widens), String, byte[], and
 * homogeneous lists of these (a {@code List} or an array). Reads return copies.
 */
public final class Graph {

    private final GraphStore store;
    private final StoreApplier applier;
    private final TransactionLog log;
    private final Clock clock;
    private final boolean visibleOnlyWhenDurable;
    private final ReentrantLock writerLock = new ReentrantLock();
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
    private final ByteWriter encoder = new ByteWriter(4096);
    private final View view = new View();
    private final PendingLayer.Base base = new StoreBase();
    // Guarded by writerLock.
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long nextNodeId;
    private long nextRelationshipId;
    private long lastCommitMicros;
    /** Set once, under the store's write lock, when a logged transaction fails to apply. */
    private volatile GraphFailedException failure;
    /** Guarded by the store's write lock. */
    private boolean frozen;

    private record Pending(long lsn, byte[] payload, PendingLayer layer) {
    }

    /**
     * Wraps a store (typically just rebuilt by replay) and the log its transactions go to.
     *
     * @param store the store, which from now on only this graph may touch
     * @param log the log, whose next write must get the LSN after the store's
     */
    public Graph(GraphStore store, TransactionLog log) {
        this(store, log, Clock.systemUTC());
    }

    /**
     * Wraps a store and its log, stamping commit times from {@code clock}.
     *
     * @param store the store, which from now on only this graph may touch
     * @param log the log, whose next write must get the LSN after the store's
     * @param clock where commit times come from
     */
    public Graph(GraphStore store, TransactionLog log, Clock clock) {
        this(store, log, clock, store::apply);
    }

    /** How a logged transaction reaches the store; tests substitute one that fails part way. */
    interface StoreApplier {
        void apply(long lsn, ByteBuffer payload);
    }

    Graph(GraphStore store, TransactionLog log, StoreApplier applier) {
        this(store, log, Clock.systemUTC(), applier);
    }

    private Graph(GraphStore store, TransactionLog log, Clock clock, StoreApplier applier) {
        this.store = store;
        this.applier = applier;
        this.log = log;
        this.clock = clock;
        this.visibleOnlyWhenDurable = log.visibleOnlyWhenDurable();
        this.nextNodeId = store.nextNodeId;
        this.nextRelationshipId = store.nextRelationshipId;
    }

    /**
     * Runs a write transaction: {@code work} makes its changes through the {@link Transaction}; if it returns
     * normally and changed anything, the changes are logged as one record and become visible (in
     * {@code per-commit} mode, once fsynced; this call returns after that).
     *
     * @param work the transaction's body; it must not call {@code commit} itself
     * @param <T> what it returns
     * @return the commit's outcome
     * @throws GraphValidationException if a change does not fit the graph (nothing was logged or changed)
     * @throws GraphFailedException if the graph stopped serving after a transaction failed to apply
     * @throws RuntimeException whatever the log throws when it refuses or fails a write (the WAL's
     *     {@code WalPoisonedException} once it is poisoned: the graph is then read-only until restart)
     */
    public <T> Commit<T> commit(Function<Transaction, T> work) {
        return commit(work, -1, 0);
    }

    /**
     * Commits a transaction that committed first in another graph whose log this graph's log mirrors (a read
     * replica's leader): its mutations are run through a {@link Transaction} as if made here, so they are
     * validated by every rule a local commit obeys and what is logged is what a replay reads back, then logged
     * with the leader's commit time and made visible as {@link #commit} does. Each created node and
     * relationship takes the leader's id, and the id counters move past it.
     *
     * @param lsn the LSN the leader gave it, which must be the one this graph's log hands out next
     * @param commitTimeMicros the leader's commit time in microseconds since the epoch, or
     *     {@link MutationCodec#UNKNOWN_COMMIT_TIME}
     * @param mutations the leader's mutations, in order; at least one
     * @return the commit's outcome, at {@code lsn}
     * @throws GraphValidationException if a mutation does not fit this graph (an id already used, a missing
     *     node, a value or name the graph refuses): nothing was logged or changed
     * @throws GraphFailedException if the graph stopped serving after a transaction failed to apply
     * @throws RuntimeException whatever the log throws when it refuses or fails a write
     */
    public Commit<Void> commitReplicated(long lsn, long commitTimeMicros, List<Mutation> mutations) {
        if (lsn < 1) {
            throw new IllegalArgumentException("a replicated transaction's LSN is at least 1, not " + lsn);
        }
        if (commitTimeMicros < 0) {
            throw new GraphValidationException("The transaction at LSN " + lsn + " has a negative commit time ("
                    + commitTimeMicros + " microseconds); a commit time is at or after the epoch");
        }
        if (mutations.isEmpty()) {
            throw new GraphValidationException("The transaction at LSN " + lsn + " holds no mutation; a logged "
                    + "transaction holds at least one");
        }
        return commit(tx -> {
            for (Mutation mutation : mutations) {
                tx.replay(mutation);
            }
            return null;
        }, commitTimeMicros, lsn);
    }

    /**
     * Reserves a node id for the next create of a replicated transaction: the id the leader gave it, which
     * must lie above every id this graph handed out, since ids are never reused.
     */
    void reserveNodeId(long id) {
        nextNodeId = reserved(id, nextNodeId, "node");
    }

    /** Like {@link #reserveNodeId}, for a relationship. */
    void reserveRelationshipId(long id) {
        nextRelationshipId = reserved(id, nextRelationshipId, "relationship");
    }

    private static long reserved(long id, long next, String kind) {
        if (id < next || id >= GraphStore.MAX_ID) {
            throw new GraphValidationException(id < next ? Reason.CONFLICT : Reason.LIMIT, "The transaction creates "
                    + kind + " " + id + ", but " + (id < next ? "this graph has handed out every " + kind
                    + " id below " + next + " and never reuses one" : kind + " ids lie below " + GraphStore.MAX_ID)
                    + "; the transaction does not continue this graph's history");
        }
        return id;
    }

    /**
     * The commit path: {@code commitTimeMicros} is the clock's when negative, and {@code expectedLsn} (when
     * positive) is the LSN the log must hand out, checked once it has.
     */
    private <T> Commit<T> commit(Function<Transaction, T> work, long commitTimeMicros, long expectedLsn) {
        if (writerLock.isHeldByCurrentThread() || storeLock.getReadHoldCount() > 0) {
            // Nested inside a transaction it would interleave with it; inside a read it would wait forever.
            throw new IllegalStateException("commit was called inside a transaction or a read on the same thread; "
                    + "commit after it returns instead");
        }
        long lsn;
        T value;
        writerLock.lock();
        try {
            checkNotFailed();
            log.checkWritable();
            PendingLayer layer = new PendingLayer(pending.isEmpty() ? null : pending.peekLast().layer(), base);
            Transaction transaction = new Transaction(this, layer);
            try {
                value = work.apply(transaction);
            } finally {
                transaction.close();
            }
            List<Mutation> mutations = transaction.mutations();
            if (mutations.isEmpty()) {
                return new Commit<>(value, 0, CompletableFuture.completedFuture(0L));
            }
            encoder.reset();
            long micros = commitTimeMicros < 0 ? nextCommitTime() : commitTimeMicros;
            if (commitTimeMicros >= 0) {
                lastCommitMicros = Math.max(lastCommitMicros, commitTimeMicros);
            }
            MutationCodec.encode(micros, mutations, encoder);
            lsn = log.write(encoder.view());
            if (expectedLsn > 0 && lsn != expectedLsn) {
                // The record is on the log under another LSN than its leader's: the mirror is broken, and only
                // a restart (which replays the log as written) may go on from here.
                throw fail(lsn, new IllegalStateException("the log gave the replicated transaction of LSN "
                        + expectedLsn + " the LSN " + lsn + "; its LSNs no longer mirror the leader's"));
            }
            if (visibleOnlyWhenDurable) {
                pending.addLast(new Pending(lsn, encoder.toByteArray(), layer));
            } else {
                applyToStore(lsn, encoder.view());
            }
        } finally {
            writerLock.unlock();
        }
        if (visibleOnlyWhenDurable) {
            log.awaitDurable(lsn);
            publishDurable();
            GraphFailedException failed = failure;
            if (failed != null && failed.lsn() <= lsn) {
                // This one, or one before it that it needed, was logged but not applied.
                throw failed;
            }
        }
        return new Commit<>(value, lsn, log.durable(lsn));
    }

    /** The clock's time in microseconds, held back to the previous commit's if the clock stepped back. */
    private long nextCommitTime() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        lastCommitMicros = Math.max(lastCommitMicros, micros);
        return lastCommitMicros;
    }

    private void applyToStore(long lsn, ByteBuffer payload) {
        storeLock.writeLock().lock();
        try {
            applier.apply(lsn, payload);
        } catch (Throwable e) {
            throw fail(lsn, e);
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /**
     * Stops the graph after a logged transaction failed to apply (under the store's write lock, so no reader
     * sees the part of it that was applied): from now on reads, commits and freezes are refused, and the log
     * is failed, so nothing later is acknowledged and a restart replays the transaction whole.
     */
    private GraphFailedException fail(long lsn, Throwable cause) {
        GraphFailedException failed = new GraphFailedException(lsn, cause);
        if (failure == null) {
            failure = failed;
            log.fail("apply of LSN " + lsn + " to the graph", cause);
        }
        return failure;
    }

    private void checkNotFailed() {
        GraphFailedException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Returns why the graph stopped serving, if it did: a logged transaction could not be applied.
     *
     * @return the failure, or null while the graph serves
     */
    public GraphFailedException failure() {
        return failure;
    }

    /** Applies, in LSN order, every pending transaction the durable LSN has passed. */
    private void publishDurable() {
        writerLock.lock();
        try {
            long durable = log.durableLsn();
            if (pending.isEmpty() || pending.peekFirst().lsn() > durable) {
                return;
            }
            storeLock.writeLock().lock();
            try {
                while (failure == null && !pending.isEmpty() && pending.peekFirst().lsn() <= durable) {
                    Pending next = pending.pollFirst();
                    try {
                        applier.apply(next.lsn(), ByteBuffer.wrap(next.payload()));
                    } catch (Throwable e) {
                        fail(next.lsn(), e);
                    }
                }
            } finally {
                storeLock.writeLock().unlock();
            }
            if (!pending.isEmpty()) {
                pending.peekFirst().layer().parent(null);
            }
        } finally {
            writerLock.unlock();
        }
    }

    long allocateNodeId() {
        return checkedId(nextNodeId++, "node");
    }

    long allocateRelationshipId() {
        return checkedId(nextRelationshipId++, "relationship");
    }

    /** Refuses an id the store would refuse, inside the transaction body, before anything is logged. */
    private static long checkedId(long id, String kind) {
        if (id >= GraphStore.MAX_ID) {
            throw new IllegalStateException("The graph has used every " + kind + " id below " + GraphStore.MAX_ID);
        }
        return id;
    }

    /**
     * Runs a read-only query against one consistent state of the graph, concurrently with other readers and
     * with writers (which it delays only while a transaction is being applied).
     *
     * @param query the query; it must not call {@link #commit}
     * @param <T> its result
     * @return what the query returned
     */
    public <T> T read(Function<GraphView, T> query) {
        storeLock.readLock().lock();
        try {
            checkNotFailed();
            return query.apply(view);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * Finds a node.
     *
     * @param id its id
     * @return the node, or empty
     */
    public Optional<Node> node(long id) {
        return read(v -> v.node(id));
    }

    /**
     * Finds a relationship.
     *
     * @param id its id
     * @return the relationship, or empty
     */
    public Optional<Relationship> relationship(long id) {
        return read(v -> v.relationship(id));
    }

    /**
     * Freezes the visible store for a checkpoint: the returned image reflects exactly the transactions up to
     * its LSN and stays unchanged, by copy-on-write, until it is closed.
     *
     * @return the image, which the caller must close
     * @throws IllegalStateException if an image is still open: only one may be, since the store keeps one
     *     copy-on-write generation
     */
    public StoreImage freeze() {
        storeLock.writeLock().lock();
        try {
            checkNotFailed();
            if (frozen) {
                throw new IllegalStateException("An image of this graph is still open; close it before freezing "
                        + "another (checkpoints run one at a time)");
            }
            StoreImage image = new StoreImage(this, store);
            frozen = true;
            return image;
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    void thaw() {
        storeLock.writeLock().lock();
        try {
            store.nodeLabels.thaw();
            store.nodeProperties.thaw();
            store.relTypes.thaw();
            store.relStart.thaw();
            store.relEnd.thaw();
            store.relProperties.thaw();
            frozen = false;
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /** The store adapter at the bottom of the pending layers; called under the writer lock. */
    private final class StoreBase implements PendingLayer.Base {
        @Override
        public boolean nodeExists(long id) {
            return store.nodeExists(id);
        }

        @Override
        public boolean relationshipExists(long id) {
            return store.relationshipExists(id);
        }

        @Override
        public long relationshipStart(long id) {
            return store.relStart.get(id);
        }

        @Override
        public long relationshipEnd(long id) {
            return store.relEnd.get(id);
        }

        @Override
        public LongArrayList relationshipsOf(long node) {
            return store.relationshipIds(node, Direction.BOTH, null);
        }

        @Override
        public PendingLayer.EntitySize size(boolean node, long id) {
            return store.entitySize(node, id);
        }
    }

    /** The read view; used only under the read lock. */
    private final class View implements GraphView {
        @Override
        public Optional<Node> node(long id) {
            return Optional.ofNullable(store.node(id));
        }

        @Override
        public Optional<Relationship> relationship(long id) {
            return Optional.ofNullable(store.relationship(id));
        }

        @Override
        public List<Node> nodesWithLabel(String label) {
            return nodes(store.nodeIdsWithLabel(label));
        }

        @Override
        public List<Node> nodesWithProperty(String label, String key, Object value) {
            Object canonical = Values.canonical(value, "The value of '" + key + "'");
            return nodes(store.nodeIdsWithProperty(label, key, canonical));
        }

        private List<Node> nodes(long[] ids) {
            List<Node> nodes = new ArrayList<>(ids.length);
            for (long id : ids) {
                nodes.add(store.node(id));
            }
            return nodes;
        }

        @Override
        public List<Relationship> relationships(long node, Direction direction, String type) {
            LongArrayList ids = store.relationshipIds(node, direction, type);
            List<Relationship> relationships = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                relationships.add(store.relationship(ids.get(i)));
            }
            return relationships;
        }

        @Override
        public List<Node> neighbours(long node, Direction direction, String type) {
            LongArrayList ids = store.relationshipIds(node, direction, type);
            LongHashSet seen = new LongHashSet();
            for (int i = 0; i < ids.size(); i++) {
                seen.add(store.otherNode(ids.get(i), node));
            }
            long[] sorted = seen.toArray();
            java.util.Arrays.sort(sorted);
            return nodes(sorted);
        }

        @Override
        public long nodeCount() {
            return store.nodeCount();
        }

        @Override
        public long relationshipCount() {
            return store.relationshipCount();
        }

        @Override
        public Map<String, Long> labels() {
            return store.labelCounts();
        }

        @Override
        public Map<String, Long> relationshipTypes() {
            return store.relationshipTypeCounts();
        }

        @Override
        public List<IndexDefinition> indexes() {
            return store.indexes();
        }

        @Override
        public long lsn() {
            return store.appliedLsn();
        }
    }
}
