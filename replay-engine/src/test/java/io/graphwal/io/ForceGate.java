package io.graphwal.io;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds fsyncs until a test lets them go, so a test can line up "an fsync is running" without timing.
 * A held call gives up with an IOException after 30 seconds, so a broken test fails instead of hanging.
 */
public final class ForceGate {

    private final AtomicInteger waiting = new AtomicInteger();
    private volatile CountDownLatch latch;

    /** From now on every {@link #pass()} waits until {@link #open()}. */
    public void close() {
        latch = new CountDownLatch(1);
    }

    /** Lets every held and later {@link #pass()} through. */
    public void open() {
        CountDownLatch current = latch;
        latch = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** How many calls are held right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Called at the start of a force(): returns at once while open, else waits for {@link #open()}. */
    public void pass() throws IOException {
        CountDownLatch current = latch;
        if (current == null) {
            return;
        }
        waiting.incrementAndGet();
        try {
            if (!current.await(30, TimeUnit.SECONDS)) {
                throw new IOException("test gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted at test gate", e);
        } finally {
            waiting.decrementAndGet();
        }
    }
}
