package io.graphwal.concurrent;

/**
 * Stopping a background thread for good. A component's {@code close()} must not return while a thread of its
 * own still runs (it could touch a closed file or write after the close), so the wait for it cannot end early
 * when the closing thread is interrupted: the interrupt is held back until the thread has ended, then set
 * again for the caller to see.
 */
public final class Threads {

    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, however often the calling thread is interrupted meanwhile; an
     * interrupt that arrived is set again on return. A caller with more work to do before it honours an
     * interrupt (a last upload, say) takes it back with {@link Thread#interrupted()} and sets it when done.
     *
     * @param thread the thread to wait for; one that never started or already ended returns at once
     * @throws IllegalArgumentException if {@code thread} is the calling thread, which would wait forever
     */
    public static void joinUninterruptibly(Thread thread) {
        if (thread == Thread.currentThread()) {
            throw new IllegalArgumentException("A thread cannot wait for its own end: " + thread.getName());
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
