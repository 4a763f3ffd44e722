package io.graphwal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A close waits for its thread's end through interrupts, and hands the interrupt back afterwards. */
class ThreadsTest {

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsSetAgainAfterIt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "threads-test-worker");
        worker.start();
        Thread closer = Thread.currentThread();
        // Releases the worker only once the closer waits in join again after its interrupt made it throw.
        Thread releaser = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            release.countDown();
        }, "threads-test-releaser");
        releaser.start();

        closer.interrupt();
        Threads.joinUninterruptibly(worker);

        assertThat(worker.isAlive()).isFalse();
        assertThat(Thread.interrupted()).as("the interrupt is set again").isTrue();
        releaser.join();
    }

    @Test
    void aThreadThatNeverStartedOrEndedReturnsAtOnce() throws InterruptedException {
        Threads.joinUninterruptibly(new Thread(() -> { }, "threads-test-unstarted"));
        Thread ended = new Thread(() -> { }, "threads-test-ended");
        ended.start();
        ended.join();
        Threads.joinUninterruptibly(ended);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aThreadCannotWaitForItself() {
        assertThatThrownBy(() -> Threads.joinUninterruptibly(Thread.currentThread()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its own end");
    }
}
