package io.graphwal.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;

import io.graphwal.replay.ChangeListener;
import io.graphwal.replay.ChangeSubscription;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.LogHold;

/**
 * Subscribes every {@link ChangeListener} bean to the change feed of the application's {@link GraphDatabase},
 * from the first transaction committed after the graph was opened: the LSN is taken, and the log held from
 * it, the moment the database bean is initialised, before any bean that uses the graph can commit, and each
 * listener is subscribed from there when the context starts (before the web server, after every singleton
 * exists). A listener bean is subscribed under its bean name, which names its feed thread. The
 * subscriptions are closed when the context stops, before the database closes.
 */
class ChangeListenerRegistrar implements BeanPostProcessor, BeanFactoryAware, SmartLifecycle {

    /** Starts after the database's lifecycle and before the web server; stops in the reverse order. */
    static final int PHASE = GraphWalLifecycle.PHASE + 1000;

    private ListableBeanFactory beanFactory;
    private volatile GraphDatabase database;
    private volatile long fromLsn;
    private volatile LogHold untilStarted;
    private final List<ChangeSubscription> subscriptions = new ArrayList<>();
    private final Map<String, Long> resumeAt = new HashMap<>();
    private volatile boolean running;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof GraphDatabase opened && database == null) {
            database = opened;
            fromLsn = opened.wal().appendedLsn() + 1;
            untilStarted = opened.holdLog("change listener beans, until the context starts", fromLsn);
        }
        return bean;
    }

    @Override
    public synchronized void start() {
        if (database != null) {
            beanFactory.getBeansOfType(ChangeListener.class).forEach((name, listener) -> subscriptions.add(
                    database.subscribe(name, resumeAt.getOrDefault(name, fromLsn), listener)));
            // Each subscription now holds the log from its own position.
            releaseStartHold();
        }
        running = true;
    }

    // A context can be stopped and started again without closing (a test framework pausing a cached context):
    // each listener then goes on after the last transaction it handled, and the log is held for it meanwhile.
    @Override
    public synchronized void stop() {
        running = false;
        long oldest = Long.MAX_VALUE;
        for (ChangeSubscription subscription : subscriptions) {
            subscription.close();
            resumeAt.put(subscription.name(), subscription.position() + 1);
            oldest = Math.min(oldest, subscription.position() + 1);
        }
        subscriptions.clear();
        if (oldest != Long.MAX_VALUE) {
            try {
                untilStarted = database.holdLog("change listener beans, until the context starts again", oldest);
            } catch (RuntimeException e) {
                untilStarted = null; // the database is closed already; nothing will start again
            }
        }
    }

    private void releaseStartHold() {
        LogHold hold = untilStarted;
        untilStarted = null;
        if (hold != null) {
            hold.close();
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
