package io.graphwal.archive;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import io.graphwal.wal.InvalidSettingException;

/**
 * How a graph is archived.
 *
 * @param target where objects go
 * @param maxLag the durable tail is shipped at least this often: the most a lost disk can cost
 *     (10 ms to 1 hour)
 * @param retention the archive keeps what restoring any point of this window needs (at least 1 minute)
 * @param listener told of uploads and failures, for metrics
 * @param clock the time for lag and retention
 * @param attemptTimeout a target call that has not completed within this long counts as failed and is
 *     abandoned ({@link #ATTEMPT_TIMEOUT} unless a test needs it shorter; 10 ms to 10 minutes)
 */
public record ArchiveConfig(ArchiveTarget target, Duration maxLag, Duration retention, ArchiveListener listener,
        Clock clock, Duration attemptTimeout) {

    /** Default {@code max-lag}: one second. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(1);
    /** Default retention: seven days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** The shortest {@code max-lag} accepted. */
    public static final Duration MIN_MAX_LAG = Duration.ofMillis(10);
    /** The longest {@code max-lag} accepted. */
    public static final Duration MAX_MAX_LAG = Duration.ofHours(1);
    /** The shortest retention accepted. */
    public static final Duration MIN_RETENTION = Duration.ofMinutes(1);
    /** An upload, listing or deletion that has not completed within this long counts as failed. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_ATTEMPT_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofMinutes(10);
    /** The archive health is DOWN while the archive lags more than this many times {@code max-lag}. */
    public static final int DOWN_AFTER_MAX_LAGS = 60;

    /**
     * Validates the fields, naming the one that is wrong.
     *
     * @throws InvalidSettingException if a value is out of range
     */
    public ArchiveConfig {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        if (maxLag == null || maxLag.compareTo(MIN_MAX_LAG) < 0 || maxLag.compareTo(MAX_MAX_LAG) > 0) {
            throw new InvalidSettingException("maxLag", maxLag, "between " + MIN_MAX_LAG.toMillis() + " ms and "
                    + MAX_MAX_LAG.toHours() + " hour");
        }
        if (retention == null || retention.compareTo(MIN_RETENTION) < 0) {
            throw new InvalidSettingException("retention", retention, "at least " + MIN_RETENTION.toMinutes()
                    + " minute");
        }
        if (attemptTimeout == null || attemptTimeout.compareTo(MIN_ATTEMPT_TIMEOUT) < 0
                || attemptTimeout.compareTo(MAX_ATTEMPT_TIMEOUT) > 0) {
            throw new InvalidSettingException("attemptTimeout", attemptTimeout, "between "
                    + MIN_ATTEMPT_TIMEOUT.toMillis() + " ms and " + MAX_ATTEMPT_TIMEOUT.toMinutes() + " minutes");
        }
    }

    /**
     * A configuration whose target calls time out after {@link #ATTEMPT_TIMEOUT}.
     *
     * @param target where objects go
     * @param maxLag the durable tail is shipped at least this often
     * @param retention the archive keeps what restoring any point of this window needs
     * @param listener told of uploads and failures
     * @param clock the time for lag and retention
     */
    public ArchiveConfig(ArchiveTarget target, Duration maxLag, Duration retention, ArchiveListener listener,
            Clock clock) {
        this(target, maxLag, retention, listener, clock, ATTEMPT_TIMEOUT);
    }

    /**
     * A configuration with the default lag and retention, no listener and the system clock.
     *
     * @param target where objects go
     * @return the configuration
     */
    public static ArchiveConfig of(ArchiveTarget target) {
        return new ArchiveConfig(target, DEFAULT_MAX_LAG, DEFAULT_RETENTION, ArchiveListener.NONE,
                Clock.systemUTC());
    }

    /**
     * This configuration with another {@code max-lag}.
     *
     * @param lag the new lag
     * @return the configuration
     */
    public ArchiveConfig withMaxLag(Duration lag) {
        return new ArchiveConfig(target, lag, retention, listener, clock, attemptTimeout);
    }

    /**
     * This configuration with another listener.
     *
     * @param newListener the listener
     * @return the configuration
     */
    public ArchiveConfig withListener(ArchiveListener newListener) {
        return new ArchiveConfig(target, maxLag, retention, newListener, clock, attemptTimeout);
    }

    /**
     * This configuration with another attempt timeout.
     *
     * @param timeout how long a target call may take before it counts as failed
     * @return the configuration
     */
    public ArchiveConfig withAttemptTimeout(Duration timeout) {
        return new ArchiveConfig(target, maxLag, retention, listener, clock, timeout);
    }
}
