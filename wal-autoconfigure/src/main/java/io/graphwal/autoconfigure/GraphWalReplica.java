package io.graphwal.autoconfigure;

/**
 * Makes the auto-configured {@link io.graphwal.replay.GraphDatabase} a read replica fed from another source
 * (the {@code wal-kafka} module contributes one when {@code graphwal.replica.enabled=true}): when a bean of
 * this type exists the database is opened with {@link io.graphwal.replay.DatabaseConfig#withReplica}, and the
 * {@code wal} endpoint reports its {@link #status()} as {@code replica}.
 */
public interface GraphWalReplica {

    /**
     * Returns the leader's graph id; called only while opening a replica on a directory that holds no graph
     * (and an archive, if any, none to restore), so it may block while it asks its source.
     *
     * @return the leader's graph id, a UUID in lower-case text
     * @throws RuntimeException with a clear message if the source cannot tell; the start then fails
     */
    String leaderGraphId();

    /**
     * Returns where the replica stands.
     *
     * @return its status
     */
    Status status();

    /**
     * Where a replica stands.
     *
     * @param source what it follows, e.g. {@code kafka:TOPIC}
     * @param appliedLsn the leader's LSN of the last transaction applied, 0 if none
     * @param lagMillis how far behind the leader it is in time, 0 when caught up
     * @param lagRecords how many transactions the source holds that it has not applied
     */
    record Status(String source, long appliedLsn, long lagMillis, long lagRecords) {
    }
}
