package io.graphwal.kafka;

import org.springframework.context.SmartLifecycle;

import io.graphwal.replay.GraphDatabase;

/**
 * Starts the replica's follower once the context has started, in the publisher's phase (after the database's
 * lifecycle, before the web server), and stops it, joining its thread, before the database closes.
 */
class KafkaReplicaLifecycle implements SmartLifecycle {

    private final KafkaReplicaFollower follower;
    private final GraphDatabase database;
    private volatile boolean running;

    KafkaReplicaLifecycle(KafkaReplicaFollower follower, GraphDatabase database) {
        this.follower = follower;
        this.database = database;
    }

    @Override
    public void start() {
        follower.start(database);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        follower.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return KafkaPublisherLifecycle.PHASE;
    }
}
