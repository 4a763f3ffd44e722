package io.graphwal.kafka;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a generous bound, so no test depends on timing to pass. */
final class Await {

    static final Duration BOUND = Duration.ofSeconds(60);

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000); // poll gently; the bound, not this pause, decides failure
        }
    }
}
