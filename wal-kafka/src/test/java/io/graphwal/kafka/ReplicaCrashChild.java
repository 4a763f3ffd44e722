package io.graphwal.kafka;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The replica process {@link ReplicaCrashLoopTest} kills: it opens (or bootstraps) a replica, follows the topic
 * and checkpoints often, so a kill can land in an apply, a group fsync or a snapshot write. Every few
 * milliseconds it prints its durable LSN on a line of its own, so the test knows how far it got.
 */
public final class ReplicaCrashChild {

    /** Records between two snapshots: small, so kills land in snapshot writes too. */
    static final long SNAPSHOT_EVERY = 40;

    /** What precedes the durable LSN on each line the child prints. */
    static final String DURABLE = "durable ";

    private ReplicaCrashChild() {
    }

    /** The replica's log settings, the same in the child and in the test that reopens its directory. */
    static DatabaseConfig config(Path directory) {
        return new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.GROUP).segmentSize(64 * 1024)
                .maxRecordSize(16 * 1024).build(), SNAPSHOT_EVERY, 2);
    }

    /**
     * Runs the child until it is killed, or for ten minutes at most.
     *
     * @param args the replica's directory, the broker list and the topic
     */
    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        KafkaReplicaFollower follower = new KafkaReplicaFollower(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]), args[2], Duration.ofSeconds(60));
        GraphDatabase replica = GraphDatabase.open(config(directory).withReplica(follower::leaderGraphId));
        follower.start(replica);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            out.println(DURABLE + replica.wal().durableLsn());
            LockSupport.parkNanos(2_000_000);
        }
        follower.close();
        replica.close();
    }
}
