package io.graphwal.autoconfigure.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveStatus;
import io.graphwal.replay.GraphDatabase;

/**
 * Health of the archive: UP while it keeps up, DOWN with the last error while it lags more than
 * {@value ArchiveConfig#DOWN_AFTER_MAX_LAGS} times {@code graphwal.archive.max-lag} or stopped for good (it
 * holds another graph). Not part of readiness: an unreachable archive costs no commit, so the instance keeps
 * serving while it is DOWN.
 */
public class ArchiveHealthIndicator extends AbstractHealthIndicator {

    private final GraphDatabase database;

    /**
     * Creates the indicator.
     *
     * @param database the database whose archiver it watches
     */
    public ArchiveHealthIndicator(GraphDatabase database) {
        super("GraphWAL archive health check failed");
        this.database = database;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (database.archiver() == null) {
            builder.unknown().withDetail("archive", "not configured");
            return;
        }
        ArchiveStatus status = database.archiver().status();
        builder.withDetail("target", status.target())
            .withDetail("archivedLsn", status.archivedLsn())
            .withDetail("lagMillis", status.lagMillis());
        if (status.lastError() != null) {
            builder.withDetail("lastError", status.lastError().message())
                .withDetail("lastErrorAt", status.lastError().at());
        }
        if (status.down()) {
            builder.down();
        } else {
            builder.up();
        }
    }
}
