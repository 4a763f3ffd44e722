package io.graphwal.kafka;

import org.springframework.context.SmartLifecycle;

import io.graphwal.autoconfigure.GraphWalLifecycle;

/**
 * Starts the {@link KafkaChangePublisher} with the application context and closes it on shutdown: after the
 * web server has drained its requests, and before the graph database closes, so that what they committed is
 * still published if the broker acknowledges it in time (and by the next start otherwise).
 */
class KafkaPublisherLifecycle implements SmartLifecycle {

    /** Starts after the database's lifecycle and before the web server; stops in the reverse order. */
    static final int PHASE = GraphWalLifecycle.PHASE + 1000;

    private final KafkaChangePublisher publisher;
    private volatile boolean running;

    KafkaPublisherLifecycle(KafkaChangePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void start() {
        publisher.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        publisher.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
