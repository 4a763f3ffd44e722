package io.graphwal.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.graphwal.replay.GraphDatabase;

/**
 * Closes the {@link GraphDatabase} when the application stops: stop accepting commits, flush, fsync, release
 * the directory lock, join the flusher and checkpoint threads. Its phase is the lowest there is, so it stops
 * after every other lifecycle, including the web server's graceful shutdown, which drains in-flight requests
 * that may still commit. The database is opened (and replayed) when its bean is created, before the
 * application can report itself ready, so starting has nothing left to do.
 */
public class GraphWalLifecycle implements SmartLifecycle {

    /** Stops after everything else, which stops at higher phases first. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private final GraphDatabase database;
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param database the database to close on stop
     */
    public GraphWalLifecycle(GraphDatabase database) {
        this.database = database;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        database.close();
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
