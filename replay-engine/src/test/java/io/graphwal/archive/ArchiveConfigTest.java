package io.graphwal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.graphwal.wal.InvalidSettingException;

/** Each setting of the archive at its limits and one step past them, refused naming the setting. */
class ArchiveConfigTest {

    private final ArchiveConfig defaults = ArchiveConfig.of(new MemoryArchiveTarget());

    @Test
    void maxLagIsHeldBetweenTenMillisecondsAndAnHour() {
        assertThat(defaults.withMaxLag(Duration.ofMillis(10)).maxLag()).isEqualTo(Duration.ofMillis(10));
        assertThat(defaults.withMaxLag(Duration.ofHours(1)).maxLag()).isEqualTo(Duration.ofHours(1));
        refused(() -> defaults.withMaxLag(Duration.ofMillis(9)), "maxLag");
        refused(() -> defaults.withMaxLag(Duration.ofHours(1).plusMillis(1)), "maxLag");
    }

    @Test
    void retentionIsAtLeastAMinute() {
        ArchiveConfig oneMinute = new ArchiveConfig(defaults.target(), defaults.maxLag(), Duration.ofMinutes(1),
                defaults.listener(), defaults.clock());
        assertThat(oneMinute.retention()).isEqualTo(Duration.ofMinutes(1));
        refused(() -> new ArchiveConfig(defaults.target(), defaults.maxLag(), Duration.ofSeconds(59),
                defaults.listener(), defaults.clock()), "retention");
    }

    @Test
    void theAttemptTimeoutIsThirtySecondsUnlessSetBetweenTenMillisecondsAndTenMinutes() {
        assertThat(defaults.attemptTimeout()).isEqualTo(ArchiveConfig.ATTEMPT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.withAttemptTimeout(Duration.ofMillis(10)).attemptTimeout())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(defaults.withAttemptTimeout(Duration.ofMinutes(10)).attemptTimeout())
                .isEqualTo(Duration.ofMinutes(10));
        refused(() -> defaults.withAttemptTimeout(Duration.ofMillis(9)), "attemptTimeout");
        refused(() -> defaults.withAttemptTimeout(Duration.ofMinutes(10).plusMillis(1)), "attemptTimeout");
        assertThat(defaults.withMaxLag(Duration.ofSeconds(5)).withAttemptTimeout(Duration.ofSeconds(1))
                .withListener(ArchiveListener.NONE).attemptTimeout()).as("kept by the other withers")
                .isEqualTo(Duration.ofSeconds(1));
    }

    private static void refused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String setting) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidSettingException.class,
                e -> assertThat(e.setting()).isEqualTo(setting));
    }
}
