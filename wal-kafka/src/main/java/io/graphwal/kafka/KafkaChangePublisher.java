package io.graphwal.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.concurrent.Threads;
import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.ChangeSubscription;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.LogHold;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalPoisonedException;

/**
 * Publishes every durable transaction of a {@link GraphDatabase} to one partition of a Kafka topic, exactly
 * once and in LSN order, resuming after the last LSN the topic holds.
 *
 * <p><b>Exactly once.</b> Records are written by a transactional producer ({@code acks=all}, idempotent,
 * retrying without a deadline) whose transactional id is fixed by the graph's id and the topic. Each session
 * starts by initialising its transactions, which fences any earlier producer of the same graph and topic (this
 * process's previous session, or a process killed mid-write) and aborts what that producer left open; only
 * then does it read the topic's last committed record and resume after its LSN. Records of an aborted
 * transaction stay in the partition but a consumer reading with {@code isolation.level=read_committed} never
 * sees them, so such a consumer sees every durable transaction exactly once, in LSN order, across crashes,
 * restarts and broker outages.
 *
 * <p><b>Threads.</b> A control thread, {@code graphwal-kafka[topic]}, runs one <em>session</em> at a time: it
 * initialises the producer, reads the topic's end, subscribes to the change feed just after it, and then
 * commits the open Kafka transaction whenever it has been open for {@value #COMMIT_INTERVAL_MILLIS} ms, until
 * the session fails or the publisher closes; then it ends the session and, unless the failure rules out going
 * on, starts another after a pause. The feed's own thread turns each transaction into a record, opens a Kafka
 * transaction if none is open and sends the record into it; it commits itself when a steady stream keeps the
 * transaction open past the interval. The two meet only on the session's fair transaction lock, which orders
 * begin, send and commit as the producer requires; the control thread only tries it, so a send that waits out
 * an outage while holding it cannot keep the control thread from noticing a close. A commit is the only thing that advances the publisher's
 * {@link LogHold}, so the log keeps every transaction not yet committed to the topic, however long an outage
 * lasts; graph commits never wait for any of this. A session ends by closing its producer (an open Kafka
 * transaction is then aborted by the next session) and then its subscription. Status fields are volatile, for
 * any thread to read.
 */
public final class KafkaChangePublisher implements AutoCloseable {

    /** The record header holding the transaction's LSN as decimal text. */
    public static final String LSN_HEADER = "lsn";

    /** The record header holding the transaction's commit time as ISO-8601 text, absent when unknown. */
    public static final String COMMITTED_AT_HEADER = "committed-at";

    /** The publisher's state, as health and status report it. */
    public enum State {
        /** Looking up where the topic ends, the first time. */
        STARTING,
        /** Sending, and the broker acknowledges. */
        PUBLISHING,
        /** The broker could not be reached or refused a record; the publisher tries again. */
        RETRYING,
        /** Going on would skip or repeat a transaction; the publisher stopped until a restart. */
        FAILED,
        /** Closed. */
        STOPPED
    }

    /**
     * What the publisher is doing.
     *
     * @param state its state
     * @param topic the topic it writes to
     * @param publishedLsn the last LSN committed to the topic (or the topic held at start), 0 if none, -1 while
     *     not yet known
     * @param unacknowledgedSince since when records have been waiting to be committed to the topic (reset by
     *     each commit), or {@code null} when none waits
     * @param lastError the last failure's message, or {@code null}
     * @param lastErrorAt when it happened, or {@code null}
     */
    public record Status(State state, String topic, long publishedLsn, Instant unacknowledgedSince, String lastError,
            Instant lastErrorAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(KafkaChangePublisher.class);
    private static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** How long records may wait for the broker before the stall is logged (health says so at once). */
    static final Duration STALL_WARNING = Duration.ofSeconds(30);
    private static final long FIRST_PAUSE_MILLIS = 100;
    /** How long a Kafka transaction stays open before it is committed: the feed's added latency, at most. */
    static final long COMMIT_INTERVAL_MILLIS = 10;
    /** The producer's batch size unless the application sets {@code batch.size}. */
    static final int DEFAULT_BATCH_BYTES = 256 * 1024;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;

    private final GraphDatabase database;
    private final String topic;
    private final ChangeEventFormat format;
    private final String graphId;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final Duration lookupTimeout;
    private Thread control;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closing;
    private volatile Session session;
    private volatile Consumer<String, byte[]> lookup;
    private volatile State state = State.STARTING;
    private volatile long publishedLsn = -1;
    private volatile long lastOffset = -1;
    private volatile long sentLsn;
    private volatile Instant unacknowledgedSince;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private LogHold hold;

    /**
     * Creates a publisher; {@link #start()} starts it.
     *
     * @param database the graph whose changes to publish
     * @param producerConfig the application's producer settings; serializers, acknowledgements, idempotence,
     *     retries and the delivery timeout are set here, whatever they say
     * @param consumerConfig the application's consumer settings, for reading the topic's last record; its
     *     {@code default.api.timeout.ms} bounds each look-up (15 s when unset)
     * @param topic the topic; its partition 0 receives every transaction
     * @param format how transactions are written
     */
    public KafkaChangePublisher(GraphDatabase database, Map<String, Object> producerConfig,
            Map<String, Object> consumerConfig, String topic, ChangeEventFormat format) {
        this.database = Objects.requireNonNull(database, "database");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.format = Objects.requireNonNull(format, "format");
        this.graphId = database.wal().graphId();
        this.producerConfig = producerSettings(producerConfig, graphId, topic);
        this.consumerConfig = consumerSettings(consumerConfig);
        Object apiTimeout = this.consumerConfig.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.lookupTimeout = apiTimeout == null ? DEFAULT_LOOKUP_TIMEOUT
                : Duration.ofMillis(Long.parseLong(apiTimeout.toString()));
    }

    static Map<String, Object> producerSettings(Map<String, Object> application, String graphId,
            String topic) {
        Map<String, Object> settings = new HashMap<>(application);
        // One id per graph and topic: a new session, or a new process, fences the one before and aborts what it
        // left open. The application's own transactional id, if any, belongs to its own producers.
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(graphId, topic));
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        // A batch given up on would let later ones through and leave a gap: retry until the broker is back.
        settings.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        Object inFlight = settings.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight == null || Integer.parseInt(inFlight.toString()) > 5) {
            settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence allows
        }
        // Bounds how long a begin, send or commit waits for a broker that is away, and so how long close() takes;
        // the session then ends and a later one carries on.
        settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "graphwal-publisher");
        // Each Kafka transaction is flushed when it commits, at most COMMIT_INTERVAL_MILLIS after it opened, so
        // lingering as long adds no latency; it lets one request carry a whole transaction, where the default
        // 16 KiB batches split a busy one into many, each costing the broker (often on the same machine) a request.
        settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, (int) COMMIT_INTERVAL_MILLIS);
        settings.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_BYTES);
        return settings;
    }

    /**
     * Returns the transactional id the publisher of a graph to a topic uses.
     *
     * @param graphId the graph's id
     * @param topic the topic
     * @return the id
     */
    static String transactionalId(String graphId, String topic) {
        return "graphwal-publisher-" + graphId + "-" + topic;
    }

    private static Map<String, Object> consumerSettings(Map<String, Object> application) {
        Map<String, Object> settings = new HashMap<>(application);
        // What an aborted transaction left in the partition is not published; only committed records count.
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The publisher reads by partition and offset; a group would only commit offsets nobody needs.
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "graphwal-publisher-lookup");
        return settings;
    }

    /**
     * Starts publishing on the publisher's own thread. Returns at once: a broker that cannot be reached is
     * reported through {@link #status()} and retried, never a failed start. Until the topic's end is known the
     * log is held from its oldest LSN, so that nothing the topic may still need is purged meanwhile.
     *
     * <p>A publisher closed with {@link #close()} can be started again; it then looks the topic up afresh.
     *
     * @throws WalException if the database is closed
     */
    public synchronized void start() {
        if (control != null && control.isAlive()) {
            return;
        }
        closing = false;
        state = State.STARTING;
        lastOffset = -1;
        hold = holdFromOldest();
        control = new Thread(this::run, "graphwal-kafka[" + topic + "]");
        control.setDaemon(true);
        control.start();
    }

    private LogHold holdFromOldest() {
        for (int attempt = 1; ; attempt++) {
            try {
                return database.holdLog("Kafka publisher to " + topic, database.wal().firstLsn());
            } catch (WalException e) {
                if (attempt == 3) {
                    throw e;
                }
                // A checkpoint purged between the look and the hold: look again.
            }
        }
    }

    /**
     * Returns what the publisher is doing.
     *
     * @return the status
     */
    public Status status() {
        return new Status(state, topic, publishedLsn, unacknowledgedSince, lastError, lastErrorAt);
    }

    /**
     * Returns how many records have been committed to the topic since start.
     *
     * @return the count
     */
    public long publishedCount() {
        return published.get();
    }

    /**
     * Returns how many sessions ended in a failure (an unreachable broker, a refused record) since start.
     *
     * @return the count
     */
    public long failureCount() {
        return failures.get();
    }

    private void run() {
        long pause = FIRST_PAUSE_MILLIS;
        try {
            while (!closing) {
                try {
                    publishUntilFailure();
                    pause = FIRST_PAUSE_MILLIS;
                } catch (PublishingRefusedException | WalPoisonedException e) {
                    failed(e);
                    return;
                } catch (WakeupException e) {
                    // close() interrupted a lookup
                } catch (RuntimeException e) {
                    if (!closing) {
                        retrying(e);
                    }
                } finally {
                    endSession();
                }
                if (!closing) {
                    awaitClosing(pause);
                    pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
                }
            }
        } catch (Error e) {
            failed(e);
            throw e;
        } finally {
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            hold.close();
        }
    }

    /**
     * One session: fence earlier producers, look up where the topic ends, subscribe after it, publish and commit
     * until something fails.
     */
    private void publishUntilFailure() {
        Session current = new Session(new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer()));
        session = current;
        // Before the look-up: once this returns, whatever an earlier producer of this graph left open is aborted
        // and nothing more of it can land, so the committed end read next is final.
        current.producer.initTransactions();
        long resumeAfter = lookUpLastLsn();
        long from = resumeAfter == 0 ? hold.neededFromLsn() : resumeAfter + 1;
        if (from < hold.neededFromLsn()) {
            throw new PublishingRefusedException("Topic '" + topic + "' ends at LSN " + resumeAfter + " but the log "
                    + "now starts at LSN " + hold.neededFromLsn() + ": the transactions between were purged before "
                    + "they were published. Republish into a new topic from a restored archive or a snapshot.");
        }
        long newest = database.wal().appendedLsn();
        if (from > newest + 1) {
            throw new PublishingRefusedException("Topic '" + topic + "' ends at LSN " + resumeAfter + ", ahead of this "
                    + "graph's log, which ends at LSN " + newest + ": the directory was restored to an earlier point "
                    + "or the topic belongs to another copy of the graph. Point graphwal.kafka.topic at a new topic.");
        }
        if (resumeAfter == 0 && from > 1) {
            log.warn("GraphWAL starts publishing to the empty topic '{}' at LSN {}: the transactions before it were "
                    + "purged from the log, so a consumer of the topic needs a snapshot of LSN {} to start from",
                    topic, from, from - 1);
        }
        publishedLsn = from - 1;
        hold.advanceTo(from);
        current.subscription = database.subscribe("kafka-publisher", from, current::send);
        log.info("GraphWAL publishing to Kafka topic '{}' from LSN {} ({} format)", topic, from,
                format.name().toLowerCase());
        state = State.PUBLISHING;
        boolean warned = false;
        while (true) {
            lock.lock();
            try {
                if (closing || current.failure != null || !current.subscription.isRunning()) {
                    break;
                }
                warned = reportStall(warned);
                long due = current.commitDueInNanos();
                if (due > 0) {
                    // Woken by a failure, a newly opened transaction or close; the periodic look only reports a
                    // stall and notices a stopped feed.
                    changed.awaitNanos(Math.min(due, TimeUnit.SECONDS.toNanos(1)));
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while publishing", e);
            } finally {
                lock.unlock();
            }
            // Outside the lock: a commit waits for the producer's network thread, whose callbacks signal under it.
            if (!current.commit(false)) {
                // The feed's thread holds the transaction (a send waiting for the broker); it commits in stride.
                awaitClosing(COMMIT_INTERVAL_MILLIS);
            }
        }
        if (closing) {
            if (current.failure == null) {
                current.commit(true); // what was sent before the close is published, not left to the next start
            }
            return;
        }
        Throwable failure = current.failure != null ? current.failure : current.subscription.failure();
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new KafkaException("publishing stopped: " + failure, failure);
    }

    /** Logs, once per stall, that nothing sent has been committed for {@link #STALL_WARNING}; under the lock. */
    private boolean reportStall(boolean warned) {
        Instant waiting = unacknowledgedSince;
        if (waiting == null) {
            return false;
        }
        if (!warned && waiting.plus(STALL_WARNING).isBefore(Instant.now())) {
            failures.incrementAndGet();
            log.warn("GraphWAL: nothing sent to Kafka topic '{}' since {} has been committed; commits go on and the "
                    + "log keeps every transaction from LSN {} on", topic, waiting, hold.neededFromLsn());
            return true;
        }
        return warned;
    }

    /** Reads the topic's last LSN; after a failed session, also checks what the broker wrote since the last ack. */
    private long lookUpLastLsn() {
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            lookup = consumer;
            if (closing) {
                throw new WakeupException();
            }
            if (consumer.partitionsFor(topic, lookupTimeout).isEmpty()) {
                createTopic();
            }
            TopicTail tail = new TopicTail(consumer, topic, graphId, lookupTimeout);
            long acknowledged = publishedLsn;
            return lastOffset >= 0 ? tail.lastLsn(lastOffset + 1, acknowledged + 1) : tail.lastLsn(-1, -1);
        } finally {
            lookup = null;
        }
    }

    private void createTopic() {
        Map<String, Object> settings = new HashMap<>();
        consumerConfig.forEach((key, value) -> {
            // Connection and security only: the consumer's timeouts need not satisfy the admin client's rules.
            if (AdminClientConfig.configNames().contains(key) && !key.endsWith("timeout.ms")) {
                settings.put(key, value);
            }
        });
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "graphwal-publisher-admin");
        try (Admin admin = Admin.create(settings)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all().get(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("GraphWAL created Kafka topic '{}' with one partition", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("Cannot create topic '" + topic + "': " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Creating topic '" + topic + "' took longer than "
                    + lookupTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic '" + topic + "'", e);
        }
    }

    /** A producer and the subscription that feeds it; ended as a whole. */
    private final class Session {
        final Producer<String, byte[]> producer;
        volatile ChangeSubscription subscription;
        volatile Throwable failure;
        volatile boolean ending;
        final CountDownLatch ended = new CountDownLatch(1);
        /** Orders begin, send and commit between the feed's thread and the control thread; fair, so neither waits long. */
        private final ReentrantLock transactionLock = new ReentrantLock(true);
        /** When the open Kafka transaction began ({@link System#nanoTime()}), or -1 when none is open. */
        private volatile long openedAt = -1;
        // Guarded by transaction.
        private long lastSentLsn;
        private int sentRecords;
        /** The offset the broker gave the last record acknowledged, written by the producer's network thread. */
        private volatile long lastAckedOffset = -1;
        private Thread sender;

        Session(Producer<String, byte[]> producer) {
            this.producer = producer;
        }

        /** Runs on the feed's thread, in LSN order; a failure ends the session. */
        void send(CommittedTransaction transaction) {
            if (ending || failure != null) {
                // The session is over; hold the feed here until it is closed rather than let it read on.
                awaitEnded();
                return;
            }
            transactionLock.lock();
            try {
                if (openedAt < 0) {
                    producer.beginTransaction();
                    openedAt = System.nanoTime();
                    signal(); // the control thread commits it when due
                }
                if (trySend(transaction)) {
                    lastSentLsn = transaction.lsn();
                    sentRecords++;
                }
                if (System.nanoTime() - openedAt >= TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS)) {
                    // A steady stream never leaves the feed idle for the control thread; commit in stride.
                    commitOpen();
                }
            } catch (RuntimeException e) {
                if (!ending) {
                    failed(e);
                    throw e;
                }
                // The producer was closed under a begin or a commit: the next session starts from the topic.
            } finally {
                transactionLock.unlock();
            }
            if (ending) {
                awaitEnded();
            }
        }

        /** Nanoseconds until the open Kafka transaction is due for its commit; {@link Long#MAX_VALUE} if none is open. */
        long commitDueInNanos() {
            long opened = openedAt;
            return opened < 0 ? Long.MAX_VALUE
                    : opened + TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MILLIS) - System.nanoTime();
        }

        /**
         * Commits the open Kafka transaction, on the control thread: once it is due, or at once when the
         * publisher closes. A failure ends the session.
         *
         * @return false if the feed's thread held the transaction (then it commits in stride), else true
         */
        boolean commit(boolean now) {
            try {
                // Never wait long for the feed's thread: it may hold the transaction while a send waits out an
                // outage, and the control thread must stay free to notice a close.
                if (!(now ? transactionLock.tryLock(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        : transactionLock.tryLock())) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                if (!ending && failure == null && (now || commitDueInNanos() <= 0)) {
                    commitOpen();
                }
            } catch (RuntimeException e) {
                failed(e);
            } finally {
                transactionLock.unlock();
            }
            return true;
        }

        /** Under the transaction lock. Returns once the broker has the transaction, its records and its marker. */
        private void commitOpen() {
            if (openedAt < 0) {
                return;
            }
            producer.commitTransaction();
            openedAt = -1;
            if (sentRecords > 0) {
                committed(lastSentLsn, lastAckedOffset, sentRecords);
                sentRecords = 0;
            }
        }

        void failed(Throwable e) {
            if (failure == null) {
                if (e instanceof ProducerFencedException) {
                    log.warn("GraphWAL's Kafka producer for topic '{}' was fenced by another with the transactional id "
                            + "'{}'. A later session takes over again; if another instance publishes this graph to "
                            + "the same topic, stop one of them", topic, transactionalId(graphId, topic));
                }
                failure = e;
                signal();
            }
        }

        private void awaitEnded() {
            boolean interrupted = false;
            while (true) {
                try {
                    ended.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends one record into the open Kafka transaction; returns false if the session ended first. */
        private boolean trySend(CommittedTransaction transaction) {
            sender = Thread.currentThread();
            ProducerRecord<String, byte[]> record = record(transaction);
            long lsn = transaction.lsn();
            while (!ending && !closing) {
                Throwable[] refused = new Throwable[1];
                // Marked before the send, which may itself wait (up to max.block.ms) for a broker that is away.
                sentLsn = lsn;
                if (unacknowledgedSince == null) {
                    unacknowledgedSince = Instant.now();
                }
                try {
                    producer.send(record, (metadata, e) -> {
                        if (Thread.currentThread() == sender) {
                            refused[0] = e; // failed inside send(): the record was never queued
                        } else if (e != null) {
                            failed(e);
                        } else {
                            lastAckedOffset = metadata.offset();
                        }
                    });
                } catch (RuntimeException e) {
                    if (ending) {
                        return false; // the producer was closed under the send; the next session sends it again
                    }
                    throw e;
                }
                if (refused[0] == null) {
                    return true;
                }
                if (!(refused[0] instanceof RetriableException)) {
                    throw new PublishingRefusedException("The transaction at LSN " + lsn + " cannot be published to "
                            + "topic '" + topic + "': " + refused[0].getMessage() + ". If it is too large, raise the "
                            + "producer's max.request.size (spring.kafka.producer.properties) and the topic's "
                            + "max.message.bytes.", refused[0]);
                }
                // Waited max.block.ms for metadata or buffer space: the broker is away. Try the same record again.
                retrying(refused[0]);
            }
            // Ending or closing: return without sending; the next session starts from what the topic holds.
            return false;
        }

        private ProducerRecord<String, byte[]> record(CommittedTransaction transaction) {
            byte[] value = format == ChangeEventFormat.JSON ? JsonChangeEvents.encode(graphId, transaction)
                    : MutationCodec.encode(commitMicros(transaction.committedAt()), transaction.mutations());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, graphId, value);
            record.headers().add(new RecordHeader(LSN_HEADER,
                    Long.toString(transaction.lsn()).getBytes(StandardCharsets.US_ASCII)));
            if (transaction.committedAt() != null) {
                record.headers().add(new RecordHeader(COMMITTED_AT_HEADER,
                        transaction.committedAt().toString().getBytes(StandardCharsets.US_ASCII)));
            }
            return record;
        }
    }

    private static long commitMicros(Instant at) {
        return at == null ? MutationCodec.UNKNOWN_COMMIT_TIME
                : Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
    }

    /** A Kafka transaction ending at {@code lsn}, its last record at {@code offset}, is committed. */
    private void committed(long lsn, long offset, int records) {
        publishedLsn = lsn;
        lastOffset = offset;
        published.addAndGet(records);
        hold.advanceTo(lsn + 1);
        unacknowledgedSince = lsn >= sentLsn ? null : Instant.now();
        if (state == State.RETRYING) {
            state = State.PUBLISHING;
        }
    }

    private void endSession() {
        Session ending = session;
        session = null;
        if (ending == null) {
            return;
        }
        ending.ending = true;
        try {
            // Waits a bounded time for what is in flight, and wakes a send blocked on metadata or buffer space.
            ending.producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("Closing the Kafka producer for topic '{}' failed", topic, e);
        }
        ending.ended.countDown();
        if (ending.subscription != null) {
            ending.subscription.close();
        }
        unacknowledgedSince = null;
    }

    private void retrying(Throwable cause) {
        failures.incrementAndGet();
        boolean first = state != State.RETRYING;
        state = State.RETRYING;
        lastError = cause.toString();
        lastErrorAt = Instant.now();
        if (first) {
            log.warn("GraphWAL cannot publish to Kafka topic '{}' for now ({}); commits go on, the log keeps every "
                    + "transaction from LSN {} on, and publishing resumes once the broker is back", topic, cause,
                    hold.neededFromLsn());
        }
    }

    private void failed(Throwable cause) {
        failures.incrementAndGet();
        state = State.FAILED;
        lastError = cause.getMessage();
        lastErrorAt = Instant.now();
        log.error("GraphWAL stopped publishing to Kafka topic '{}': {}", topic, cause.getMessage(), cause);
    }

    private void awaitClosing(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closing && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops publishing: commits what the current session has sent (waiting at most the producer's
     * {@code max.block.ms} for the broker), ends the session, joins the control thread and releases the hold on
     * the log. What was not committed is sent by the next start. Idempotent.
     */
    @Override
    public synchronized void close() {
        closing = true;
        signal();
        Consumer<String, byte[]> looking = lookup;
        if (looking != null) {
            looking.wakeup();
        }
        if (control != null && control.isAlive() && Thread.currentThread() != control) {
            Threads.joinUninterruptibly(control);
        } else if (hold != null && (control == null || !control.isAlive())) {
            hold.close();
        }
    }
}
