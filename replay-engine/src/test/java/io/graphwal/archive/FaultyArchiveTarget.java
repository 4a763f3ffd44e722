package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An archive target that passes calls to another one, failing or holding them on demand: fail the next
 * {@code n} calls, fail every call until healed, hold every put at a gate until it is opened, or leave out
 * of listings the objects a predicate picks.
 */
public final class FaultyArchiveTarget implements ArchiveTarget {

    private final ArchiveTarget delegate;
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger puts = new AtomicInteger();
    private volatile boolean failAlways;
    private volatile boolean deafWhileHeld;
    private volatile CountDownLatch putGate;
    private volatile CountDownLatch putWaiting = new CountDownLatch(1);
    private volatile Predicate<String> hidden = name -> false;

    /**
     * Wraps a target.
     *
     * @param delegate where calls that are let through go
     */
    public FaultyArchiveTarget(ArchiveTarget delegate) {
        this.delegate = delegate;
    }

    /**
     * Fails the next {@code calls} calls.
     *
     * @param calls how many
     */
    public void failNext(int calls) {
        failNext.set(calls);
    }

    /**
     * Fails every call until called with false.
     *
     * @param fail whether to fail
     */
    public void failAlways(boolean fail) {
        failAlways = fail;
    }

    /** Holds every put from now on until {@link #openPuts()}; an interrupt ends a held put with a failure. */
    public void holdPuts() {
        holdPuts(false);
    }

    /**
     * Holds every put from now on until {@link #openPuts()}.
     *
     * @param deaf whether held puts ignore interrupts too, as a call stuck in the kernel or on a dead
     *     connection does
     */
    public void holdPuts(boolean deaf) {
        deafWhileHeld = deaf;
        putWaiting = new CountDownLatch(1);
        putGate = new CountDownLatch(1);
    }

    /** Lets held puts and later ones through. */
    public void openPuts() {
        CountDownLatch gate = putGate;
        putGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /**
     * Waits until a put is held at the gate.
     *
     * @return whether one arrived within 30 seconds
     * @throws InterruptedException if interrupted
     */
    public boolean awaitHeldPut() throws InterruptedException {
        return putWaiting.await(30, TimeUnit.SECONDS);
    }

    /**
     * Leaves the objects {@code names} picks out of every listing.
     *
     * @param names which to hide
     */
    public void hideFromListings(Predicate<String> names) {
        hidden = names;
    }

    /**
     * Returns how many puts reached the wrapped target.
     *
     * @return the count
     */
    public int puts() {
        return puts.get();
    }

    private void maybeFail(String call) throws IOException {
        if (failAlways || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("injected failure of " + call + " on " + describe());
        }
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void put(String name, ObjectContent content) throws IOException {
        CountDownLatch gate = putGate;
        if (gate != null) {
            putWaiting.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!deafWhileHeld) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while held", e);
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        maybeFail("put " + name);
        delegate.put(name, content);
        puts.incrementAndGet();
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        maybeFail("list " + prefix);
        List<StoredObject> shown = new ArrayList<>();
        for (StoredObject object : delegate.list(prefix)) {
            if (!hidden.test(object.name())) {
                shown.add(object);
            }
        }
        return shown;
    }

    @Override
    public InputStream get(String name) throws IOException {
        maybeFail("get " + name);
        return delegate.get(name);
    }

    @Override
    public void delete(String name) throws IOException {
        maybeFail("delete " + name);
        delegate.delete(name);
    }
}
