package io.graphwal.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.autoconfigure.GraphWalReplica;
import io.graphwal.concurrent.Threads;
import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReplicaGapException;
import io.graphwal.wal.WalReader;

/**
 * Feeds a read replica's {@link GraphDatabase} from partition 0 of the change-feed topic its leader publishes
 * to, applying each record with {@link GraphDatabase#applyReplicated} in LSN order.
 *
 * <p><b>Position.</b> No consumer group is used: the replica's own log says where it stands, so each session
 * assigns the partition by hand and seeks to the record of {@code appliedLsn + 1}. Offsets advance at least
 * as fast as LSNs (the markers that commit the publisher's Kafka transactions, the records of an aborted one and
 * a record published twice take offsets too), so the offset {@code begin + (lsn - firstLsn)} is never past that
 * record: the session reads the record there and moves forward by the LSNs still missing until it
 * lands on it, without reading the topic from its start. Records at or below the applied LSN are skipped. Only
 * committed records are read ({@code isolation.level=read_committed}).
 *
 * <p><b>Stops and retries.</b> A record of another graph, one that does not decode, a gap in the LSNs, or a
 * transaction the graph refuses stops the follower for good ({@link State#STOPPED}), with the reason kept
 * for health and status: going on would skip or invent history. Anything else (an unreachable broker, a
 * timeout) ends the session and starts another after a pause that doubles up to 5 s; the application keeps
 * serving reads meanwhile.
 *
 * <p><b>Threads.</b> One daemon thread, {@code graphwal-replica}, owns the consumer and applies every record,
 * so applies never overlap. {@link #close()} sets a flag, wakes the consumer and joins the thread; a record
 * being applied is finished first. Status fields are volatile, written by that thread and read by any.
 * {@link #leaderGraphId()} runs on the caller's thread with a consumer of its own, before the thread starts.
 */
public final class KafkaReplicaFollower implements GraphWalReplica, AutoCloseable {

    /** What the follower is doing. */
    public enum State {
        /** Not started, or looking for its position. */
        STARTING,
        /** Reading the topic and applying its records. */
        FOLLOWING,
        /** The broker could not be reached; the follower tries again. */
        RETRYING,
        /** It stopped for good: the topic holds a gap, another graph's records or a record it cannot apply. */
        STOPPED,
        /** Closed. */
        CLOSED
    }

    /**
     * The follower's state for health.
     *
     * @param state its state
     * @param topic the topic it follows
     * @param appliedLsn the last LSN applied
     * @param lagRecords records the partition holds past the follower's position, an estimate
     * @param lagMillis how long ago the last applied transaction committed while behind, 0 when caught up
     * @param reason why it stopped, or the last retried failure, or null
     * @param reasonAt when that happened, or null
     */
    public record Detail(State state, String topic, long appliedLsn, long lagRecords, long lagMillis, String reason,
            Instant reasonAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(KafkaReplicaFollower.class);
    private static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;
    /** Probes of the seek; each lands at or before the wanted record, so a few suffice unless many repeats. */
    private static final int MAX_PROBES = 32;

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final TopicPartition partition;
    private final Duration apiTimeout;
    private static final String FROM_THE_ARCHIVE = "Configure the leader's archive (graphwal.archive.*) on the "
            + "replica to bootstrap it, then start again";

    private final Duration bootstrapTimeout;
    private GraphDatabase database;
    private Thread thread;
    private volatile boolean closing;
    private volatile Consumer<String, byte[]> consumer;
    private volatile State state = State.STARTING;
    private volatile long endOffset = -1;
    private volatile long position = -1;
    private volatile Instant lastCommittedAt;
    private volatile String reason;
    private volatile Instant reasonAt;

    /**
     * Creates a follower; {@link #start} starts it.
     *
     * @param consumerConfig the application's consumer settings; group, auto-commit and deserializers are set
     *     here, and {@code default.api.timeout.ms} bounds each look-up (15 s when unset)
     * @param topic the topic whose partition 0 the leader publishes to
     * @param bootstrapTimeout how long {@link #leaderGraphId()} waits for the topic's first record
     */
    public KafkaReplicaFollower(Map<String, Object> consumerConfig, String topic, Duration bootstrapTimeout) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = new TopicPartition(topic, 0);
        this.bootstrapTimeout = Objects.requireNonNull(bootstrapTimeout, "bootstrapTimeout");
        Map<String, Object> settings = new HashMap<>(consumerConfig);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // The publisher writes in Kafka transactions; what an aborted one left in the partition is not history.
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "graphwal-replica");
        this.consumerConfig = settings;
        Object timeout = settings.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        this.apiTimeout = timeout == null ? DEFAULT_API_TIMEOUT : Duration.ofMillis(Long.parseLong(timeout.toString()));
    }

    private Consumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads the key of the topic's first record, which must be LSN 1: an empty replica without an archive
     * rebuilds the graph from the topic alone. Waits up to the bootstrap timeout for the broker and for a
     * first record.
     *
     * @return the leader's graph id
     * @throws ReplicaBootstrapException if the topic does not begin at LSN 1, or holds no record within the
     *     timeout
     */
    @Override
    public String leaderGraphId() {
        long deadline = System.nanoTime() + bootstrapTimeout.toNanos();
        RuntimeException last = null;
        long pause = FIRST_PAUSE_MILLIS;
        while (System.nanoTime() < deadline) {
            try (Consumer<String, byte[]> lookup = newConsumer()) {
                lookup.assign(List.of(partition));
                long begin = lookup.beginningOffsets(List.of(partition), apiTimeout).get(partition);
                long end = lookup.endOffsets(List.of(partition), apiTimeout).get(partition);
                if (begin < end) {
                    ConsumerRecord<String, byte[]> first = readAt(lookup, begin, end);
                    long lsn = ChangeEventDecoder.lsn(first);
                    if (lsn != 1) {
                        throw new ReplicaBootstrapException(notFromStart(lsn), FROM_THE_ARCHIVE, null);
                    }
                    if (first.key() == null) {
                        throw new ReplicaBootstrapException("The first record of topic '" + topic + "' has no key, "
                                + "but GraphWAL keys every record by the leader's graph id", "Point "
                                + "graphwal.kafka.topic at the topic a GraphWAL leader publishes to", null);
                    }
                    return first.key();
                }
                last = new IllegalStateException("topic '" + topic + "' holds no record yet");
            } catch (ReplicaBootstrapException e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            LockSupport.parkNanos(pause * 1_000_000);
            pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
        }
        throw new ReplicaBootstrapException("The replica's directory is empty and no archive is configured, so "
                + "it starts from the beginning of topic '" + topic + "', but within graphwal.replica."
                + "bootstrap-timeout (" + bootstrapTimeout + ") the topic gave no first record ("
                + (last == null ? "no answer" : last.getMessage()) + ")", "Start the replica once the broker is "
                + "reachable and the leader has published, raise graphwal.replica.bootstrap-timeout, or configure "
                + "the leader's archive (graphwal.archive.*) on the replica to bootstrap from it", last);
    }

    private String notFromStart(long firstLsn) {
        return "Topic '" + topic + "' begins at LSN " + firstLsn + ", not 1 (retention deleted the records before "
                + "it), and the replica's directory is empty: it cannot be rebuilt from the topic alone";
    }

    /**
     * Starts following on the {@code graphwal-replica} thread. Returns at once.
     *
     * @param replica the replica's database, opened with this follower as its {@link GraphWalReplica}
     * @throws IllegalArgumentException if the database is not a replica
     */
    public synchronized void start(GraphDatabase replica) {
        if (!replica.isReplica()) {
            throw new IllegalArgumentException("The graph in " + replica.wal().status().directory() + " is not a "
                    + "read replica");
        }
        if (thread != null && thread.isAlive()) {
            return;
        }
        this.database = replica;
        lastCommittedAt = lastCommitTime(replica);
        closing = false;
        state = State.STARTING;
        thread = new Thread(this::run, "graphwal-replica");
        thread.setDaemon(true);
        thread.start();
    }

    /** The commit time of the last transaction in the replica's own log, so lag is known before any apply. */
    private static Instant lastCommitTime(GraphDatabase replica) {
        long last = replica.wal().appendedLsn();
        if (last < 1 || last < replica.wal().firstLsn()) {
            return null; // nothing applied yet, or the log starts after a restored snapshot
        }
        try (WalReader reader = replica.wal().reader(last)) {
            if (!reader.next()) {
                return null;
            }
            long micros = MutationCodec.commitTimeMicros(reader.payload());
            return micros == MutationCodec.UNKNOWN_COMMIT_TIME ? null
                    : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        } catch (RuntimeException e) {
            log.debug("GraphWAL replica could not read the commit time of LSN {}", last, e);
            return null;
        }
    }

    private void run() {
        long pause = FIRST_PAUSE_MILLIS;
        try {
            while (!closing) {
                try (Consumer<String, byte[]> session = newConsumer()) {
                    consumer = session;
                    if (closing) {
                        return;
                    }
                    follow(session);
                } catch (StopException e) {
                    stopped(e.getMessage(), e.getCause());
                    return;
                } catch (WakeupException e) {
                    // close() woke the consumer
                } catch (RuntimeException e) {
                    if (!closing) {
                        retrying(e);
                    }
                } finally {
                    consumer = null;
                }
                if (!closing) {
                    LockSupport.parkNanos(pause * 1_000_000);
                    pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
                }
            }
        } finally {
            if (state != State.STOPPED) {
                state = State.CLOSED;
            }
        }
    }

    /** A reason to stop for good rather than retry. */
    private static final class StopException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StopException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One session: find the position of the next LSN, then apply records until something fails. */
    private void follow(Consumer<String, byte[]> session) {
        List<TopicPartition> partitions = List.of(partition);
        session.assign(partitions);
        long begin = session.beginningOffsets(partitions, apiTimeout).get(partition);
        long end = session.endOffsets(partitions, apiTimeout).get(partition);
        endOffset = end;
        long applied = database.wal().appendedLsn();
        seek(session, begin, end, applied + 1);
        state = State.FOLLOWING;
        log.info("GraphWAL replica following topic '{}' from LSN {} (offset {})", topic, applied + 1,
                session.position(partition, apiTimeout));
        while (!closing) {
            for (ConsumerRecord<String, byte[]> record : session.poll(POLL).records(partition)) {
                apply(record);
                position = record.offset() + 1;
            }
            position = session.position(partition, apiTimeout);
            OptionalLong lag = session.currentLag(partition);
            endOffset = lag.isPresent() ? position + lag.getAsLong()
                    : session.endOffsets(partitions, apiTimeout).get(partition);
            if (state == State.RETRYING) {
                state = State.FOLLOWING;
            }
        }
    }

    /** Positions the consumer at the record of {@code wanted}, or where it will be appended. */
    private void seek(Consumer<String, byte[]> session, long begin, long end, long wanted) {
        if (begin >= end) {
            if (end > 0 && wanted == 1) {
                // Retention deleted every record: what was there cannot be known.
                throw new StopException("Topic '" + topic + "' holds no record any more though its end offset is "
                        + end + " (retention deleted them all), and the replica's directory is empty: it cannot be "
                        + "rebuilt from the topic alone. " + FROM_THE_ARCHIVE, null);
            }
            session.seek(partition, end);
            position = end;
            return;
        }
        long firstLsn = ChangeEventDecoder.lsn(check(readAt(session, begin, end)));
        if (wanted < firstLsn) {
            if (wanted == 1) {
                throw new StopException(notFromStart(firstLsn) + ". " + FROM_THE_ARCHIVE, null);
            }
            throw new StopException("Topic '" + topic + "' now begins at LSN " + firstLsn + " but the replica needs "
                    + "LSN " + wanted + " next: retention deleted records it has not applied. Rebuild the replica "
                    + "from the leader's archive (an empty directory with graphwal.archive.* set)", null);
        }
        long below = begin;
        long guess = Math.min(end, begin + (wanted - firstLsn));
        for (int probe = 0; probe < MAX_PROBES && guess < end; probe++) {
            long lsn = ChangeEventDecoder.lsn(check(readAt(session, guess, end)));
            if (lsn == wanted) {
                break;
            }
            if (lsn > wanted) {
                // Only a gap puts an LSN this far ahead: read on from the last record below, where the apply
                // reports it.
                guess = below;
                break;
            }
            below = guess;
            guess = Math.min(end, guess + (wanted - lsn));
        }
        session.seek(partition, guess);
        position = guess;
    }

    /** The first record at or after {@code offset}, below {@code end}, read with the session's consumer. */
    private ConsumerRecord<String, byte[]> readAt(Consumer<String, byte[]> session, long offset, long end) {
        session.seek(partition, offset);
        long deadline = System.nanoTime() + apiTimeout.toNanos();
        while (System.nanoTime() < deadline && !closing) {
            for (ConsumerRecord<String, byte[]> record : session.poll(Duration.ofMillis(200)).records(partition)) {
                if (record.offset() < end) {
                    return record;
                }
            }
            if (session.position(partition, apiTimeout) >= end) {
                break;
            }
        }
        if (closing) {
            throw new WakeupException();
        }
        throw new org.apache.kafka.common.errors.TimeoutException("Reading offset " + offset + " of topic '" + topic
                + "' took longer than " + apiTimeout);
    }

    private ConsumerRecord<String, byte[]> check(ConsumerRecord<String, byte[]> record) {
        String graphId = database.wal().graphId();
        if (!graphId.equals(record.key())) {
            throw new StopException("Topic '" + topic + "' holds changes of graph '" + record.key() + "' (offset "
                    + record.offset() + "), but this replica mirrors graph '" + graphId + "'. Point "
                    + "graphwal.kafka.topic at the leader's topic, or give the replica an empty directory", null);
        }
        return record;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        check(record);
        CommittedTransaction transaction;
        try {
            transaction = ChangeEventDecoder.decode(record, record.key());
        } catch (ChangeEventDecoder.BadEventException e) {
            throw new StopException(e.getMessage() + ". The replica stopped before it", e);
        }
        try {
            if (database.applyReplicated(transaction)) {
                lastCommittedAt = transaction.committedAt();
            }
        } catch (ReplicaGapException e) {
            throw new StopException("Topic '" + topic + "' has a gap at offset " + record.offset() + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            // Not the broker's doing (a refused transaction, a poisoned or closed log): retrying would refuse it again.
            throw new StopException("The replica cannot apply LSN " + transaction.lsn() + " (offset " + record.offset()
                    + " of topic '" + topic + "'): " + e.getMessage() + ". It stopped before it", e);
        }
    }

    private void stopped(String message, Throwable cause) {
        reason = message;
        reasonAt = Instant.now();
        state = State.STOPPED;
        log.error("GraphWAL replica stopped following topic '{}' at LSN {}: {}", topic, appliedLsn(), message, cause);
    }

    private void retrying(RuntimeException e) {
        boolean first = state != State.RETRYING;
        reason = e.toString();
        reasonAt = Instant.now();
        state = State.RETRYING;
        if (first) {
            log.warn("GraphWAL replica cannot read topic '{}' for now ({}); it serves reads at LSN {} and tries "
                    + "again", topic, e.toString(), appliedLsn());
        }
    }

    private long appliedLsn() {
        GraphDatabase replica = database;
        return replica == null ? 0 : replica.wal().appendedLsn();
    }

    /**
     * Returns where the follower stands, for health.
     *
     * @return the detail
     */
    public Detail detail() {
        long lagRecords = lagRecords();
        return new Detail(state, topic, appliedLsn(), lagRecords, lagMillis(lagRecords), reason, reasonAt);
    }

    @Override
    public Status status() {
        long lagRecords = lagRecords();
        return new Status("kafka:" + topic, appliedLsn(), lagMillis(lagRecords), lagRecords);
    }

    /** Records past the follower's position: an estimate, since repeats and control records count too. */
    private long lagRecords() {
        long end = endOffset;
        long at = position;
        return end < 0 || at < 0 ? 0 : Math.max(0, end - at);
    }

    /** Age of the last applied transaction while records wait; 0 when caught up or its time is unknown. */
    private long lagMillis(long lagRecords) {
        Instant at = lastCommittedAt;
        if (lagRecords == 0 || at == null) {
            return 0;
        }
        return Math.max(0, Duration.between(at, Instant.now()).toMillis());
    }

    /** Stops following: wakes the consumer and joins the thread, after the record being applied. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closing = true;
            running = thread;
        }
        Consumer<String, byte[]> session = consumer;
        if (session != null) {
            session.wakeup();
        }
        if (running != null) {
            LockSupport.unpark(running); // cut a pause between sessions short
            Threads.joinUninterruptibly(running);
        }
        if (state != State.STOPPED) {
            state = State.CLOSED;
        }
    }
}
