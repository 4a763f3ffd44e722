package io.graphwal.autoconfigure.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.graphwal.wal.WalPoison;
import io.graphwal.wal.WalStatus;
import io.graphwal.wal.WriteAheadLog;

/**
 * Health of the write-ahead log: UP while it accepts writes, DOWN with the failure once a write or fsync
 * poisoned it (it stays read-only until the application restarts).
 */
public class WalHealthIndicator extends AbstractHealthIndicator {

    private final WriteAheadLog wal;

    /**
     * Creates the indicator.
     *
     * @param wal the log it watches
     */
    public WalHealthIndicator(WriteAheadLog wal) {
        super("GraphWAL health check failed");
        this.wal = wal;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        WalStatus status = wal.status();
        builder.withDetail("syncMode", PoisonDescriptor.syncMode(status.syncMode()))
            .withDetail("appendedLsn", status.appendedLsn())
            .withDetail("durableLsn", status.durableLsn());
        WalPoison poison = status.poison();
        if (poison == null) {
            builder.up();
            return;
        }
        builder.down()
            .withDetail("cause", String.valueOf(poison.cause()))
            .withDetail("at", poison.at())
            .withDetail("lsn", poison.durableLsn())
            .withDetail("operation", poison.operation());
    }
}
