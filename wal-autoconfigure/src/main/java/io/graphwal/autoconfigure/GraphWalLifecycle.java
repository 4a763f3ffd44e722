package io.graphwal.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalException;

/**
 * Closes the {@link GraphDatabase} when the application shuts down: stop accepting commits, flush, fsync,
 * release the directory lock, join the flusher and checkpoint threads. Its phase is the lowest there is, so it
 * stops after every other lifecycle, including the web server's graceful shutdown, which drains in-flight
 * requests that may still commit. The database is opened (and replayed) when its bean is created, before the
 * application can report itself ready, so starting has nothing left to do.
 * <p>
 * A context is also stopped without being closed: {@code stop()} and {@code start()} on it, or a test
 * framework pausing a cached context that no test is using and restarting it later. A closed database cannot
 * be reopened under the same bean, so the database is closed only when its own context is closing (it
 * publishes {@link ContextClosedEvent} before stopping its lifecycles); any other stop only makes everything
 * written so far durable and leaves the graph open.
 * <p>
 * Stopping never throws: a failed flush or close is logged, and the shutdown goes on.
 */
public class GraphWalLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>,
        ApplicationContextAware {

    /** Stops after everything else, which stops at higher phases first. */
    public static final int PHASE = Integer.MIN_VALUE + 1000;

    private static final Logger log = LoggerFactory.getLogger(GraphWalLifecycle.class);

    private final GraphDatabase database;
    private ApplicationContext context;
    private volatile boolean closing;
    private volatile boolean running;

    /**
     * Creates the lifecycle.
     *
     * @param database the database to close on shutdown
     */
    public GraphWalLifecycle(GraphDatabase database) {
        this.database = database;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    // Events of child contexts (a separate management server, say) reach this listener too; only ours counts.
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            closing = true;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    // Any failure is logged and swallowed: an exception out of stop() would keep Spring from running the
    // callback of stop(Runnable), so that shutdown would wait out its phase timeout, and would leave the rest
    // of the context to close behind a half-closed database. What failed stays in the log's status and health.
    @Override
    public void stop() {
        running = false;
        if (closing) {
            try {
                database.close();
            } catch (RuntimeException e) {
                log.error("GraphWAL could not close {} cleanly; a restart replays what is on disk", where(), e);
            }
            return;
        }
        try {
            database.wal().flush();
        } catch (WalException e) {
            // A poisoned or closed log: the reason is in its status and health already.
            log.warn("GraphWAL could not flush {} while the application context stopped: {}", where(),
                    e.getMessage());
        } catch (RuntimeException e) {
            log.error("GraphWAL could not flush {} while the application context stopped", where(), e);
        }
    }

    private Object where() {
        try {
            return database.wal().status().directory();
        } catch (RuntimeException e) {
            return "its directory";
        }
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
