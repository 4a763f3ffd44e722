package io.graphwal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The tracker's rules where a poison and a successful fsync cross. */
class DurabilityTrackerTest {

    /**
     * A leader publishes its fsync after releasing the log's force lock, so another fsync (a segment seal) can
     * fail in between. The late success must not move the durable LSN past the poison's, or acknowledge.
     */
    @Test
    void anFsyncThatSucceedsAfterThePoisonAcknowledgesNothing() {
        AtomicReference<DurabilityTracker> tracker = new AtomicReference<>();
        DurabilityTracker durability = new DurabilityTracker(74, () -> {
            tracker.get().poison(new IOException("injected: seal fsync failed"), "fsync of sealed segment");
            return 75;
        }, new WalListener() { });
        tracker.set(durability);
        CompletableFuture<Long> future = durability.whenDurable(75);

        assertThatThrownBy(() -> durability.awaitDurable(75))
                .isInstanceOf(WalPoisonedException.class)
                .hasMessageContaining("fsync of sealed segment");
        assertThat(durability.durableLsn()).isEqualTo(74).isEqualTo(durability.poison().durableLsn());
        assertThat(future).isCompletedExceptionally();
        durability.markDurable(75, 1_000);
        assertThat(durability.durableLsn()).as("nor does a seal that reports afterwards").isEqualTo(74);
    }
}
