package io.graphwal.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.graphwal.archive.ArchiveStatus;
import io.graphwal.archive.Archiver;
import io.graphwal.autoconfigure.GraphWalReplica;
import io.graphwal.graph.GraphFailedException;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReplayReport;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WalStatus;

/**
 * {@link Endpoint @Endpoint} {@code wal}: reads the write-ahead log's status, and (where access is granted,
 * which it is not by default) fsyncs it on demand.
 */
@Endpoint(id = "wal", defaultAccess = Access.READ_ONLY)
public class WalEndpoint {

    /** HTTP 507 Insufficient Storage, which {@link WebEndpointResponse} has no constant for. */
    static final int STATUS_INSUFFICIENT_STORAGE = 507;

    private static final Logger log = LoggerFactory.getLogger(WalEndpoint.class);

    private final GraphDatabase database;
    private final GraphWalReplica replica;

    /**
     * Creates the endpoint.
     *
     * @param database the database whose log it reports
     */
    public WalEndpoint(GraphDatabase database) {
        this(database, null);
    }

    /**
     * Creates the endpoint of a database that may be a read replica.
     *
     * @param database the database whose log it reports
     * @param replica what feeds it, or null when it is not a replica
     */
    public WalEndpoint(GraphDatabase database, GraphWalReplica replica) {
        this.database = database;
        this.replica = replica;
    }

    /**
     * Describes the log, its last replay and the newest snapshot.
     *
     * @return the status
     */
    @ReadOperation
    public WalStatusDescriptor status() {
        WalStatus status = database.wal().status();
        ReplayReport replay = database.lastReplay();
        return new WalStatusDescriptor(PoisonDescriptor.syncMode(status.syncMode()), status.directory().toString(), status.appendedLsn(),
                status.durableLsn(), new SegmentsDescriptor(status.segmentCount(), status.segmentBytes()),
                new FsyncDescriptor(status.lastFsyncAt(), status.lastFsyncDurationNanos() / 1_000),
                status.poisoned(), PoisonDescriptor.of(status.poison()),
                new ReplayDescriptor(replay.snapshotLsn(), replay.recordsReplayed(), replay.tornTailBytes(),
                        replay.duration().toMillis()),
                Snapshots.newest(database), ReplicaDescriptor.of(replica), ArchiveDescriptor.of(database.archiver()));
    }

    /**
     * Fsyncs the log now.
     *
     * @return {@code durableLsn}; or status 503 with the poison detail if the log is poisoned; or, if the flush
     *     fails otherwise, an {@code error} body naming the cause (503 once the log is closed, else 500)
     */
    @WriteOperation
    public WebEndpointResponse<Object> flush() {
        try {
            long durable = database.wal().flush();
            return new WebEndpointResponse<>(Map.of("durableLsn", durable));
        } catch (WalPoisonedException e) {
            return poisoned(database);
        } catch (RuntimeException e) {
            return failed("flush", e);
        }
    }

    /**
     * The answer to a write operation that failed for a reason other than poison: Actuator would otherwise
     * answer a bare 500 and keep the cause (a full disk, say) in the server log only. The operator who asked
     * gets the exception's message and its root cause; the log gets the stack trace.
     *
     * @param operation what failed, e.g. {@code checkpoint}
     * @param e the failure
     * @return 503 if the log is closed (the application is shutting down), 507 if the disk is full, else 500
     */
    static WebEndpointResponse<Object> failed(String operation, RuntimeException e) {
        Throwable root = e;
        boolean diskFull = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            diskFull |= String.valueOf(t.getMessage()).contains("No space left on device");
        }
        int status = (e instanceof WalClosedException || e instanceof GraphFailedException)
                ? WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE
                : diskFull ? STATUS_INSUFFICIENT_STORAGE : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
        log.error("GraphWAL {} requested through Actuator failed", operation, e);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", operation + " failed");
        body.put("message", String.valueOf(e.getMessage()));
        body.put("cause", String.valueOf(root));
        return new WebEndpointResponse<>(body, status);
    }

    static WebEndpointResponse<Object> poisoned(GraphDatabase database) {
        PoisonDescriptor poison = PoisonDescriptor.of(database.wal().poison());
        return new WebEndpointResponse<>(Map.of("poisoned", true, "poison", poison),
                WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
    }

    /**
     * The log's status.
     *
     * @param syncMode the configured sync mode, as in {@code graphwal.wal.sync-mode}
     * @param directory the log's directory
     * @param appendedLsn the newest LSN written to the operating system
     * @param durableLsn the newest LSN known fsynced
     * @param segments the segment files
     * @param lastFsync the last fsync
     * @param poisoned whether the log refuses writes
     * @param poison what poisoned it, or null
     * @param lastReplay what opening the database did
     * @param lastSnapshot the newest snapshot, or null if none
     * @param replica where this read replica stands, or null when it is not one
     * @param archive the archive, or null when none is configured
     */
    // archive stays last, so that answers shown ending in the archive's object (the README's) stay true.
    public record WalStatusDescriptor(String syncMode, String directory, long appendedLsn, long durableLsn,
            SegmentsDescriptor segments, FsyncDescriptor lastFsync, boolean poisoned, PoisonDescriptor poison,
            ReplayDescriptor lastReplay, SnapshotDescriptor lastSnapshot, ReplicaDescriptor replica,
            ArchiveDescriptor archive) {
    }

    /**
     * A read replica.
     *
     * @param source what it follows, e.g. {@code kafka:TOPIC}
     * @param appliedLsn the leader's LSN of the last transaction applied
     * @param lagMillis how far behind the leader it is in time, 0 when caught up
     * @param lagRecords transactions its source holds that it has not applied
     */
    public record ReplicaDescriptor(String source, long appliedLsn, long lagMillis, long lagRecords) {

        static ReplicaDescriptor of(GraphWalReplica replica) {
            if (replica == null) {
                return null;
            }
            GraphWalReplica.Status status = replica.status();
            return new ReplicaDescriptor(status.source(), status.appliedLsn(), status.lagMillis(),
                    status.lagRecords());
        }
    }

    /**
     * The archive.
     *
     * @param target where it archives, {@code file:DIR} or {@code s3://BUCKET/PREFIX}
     * @param timeline the timeline this graph writes (0 until the archive was first reached)
     * @param archivedLsn every durable transaction up to this LSN is archived
     * @param lagMillis age of the oldest durable transaction not yet archived; 0 when all are
     * @param lastUpload the last object stored, or null
     * @param lastError the last failure, or null once an attempt succeeded after it
     */
    public record ArchiveDescriptor(String target, long timeline, long archivedLsn, long lagMillis,
            ArchiveStatus.Upload lastUpload, ArchiveStatus.Failure lastError) {

        static ArchiveDescriptor of(Archiver archiver) {
            if (archiver == null) {
                return null;
            }
            ArchiveStatus status = archiver.status();
            return new ArchiveDescriptor(status.target(), status.timeline(), status.archivedLsn(), status.lagMillis(),
                    status.lastUpload(), status.lastError());
        }
    }

    /**
     * The log's segment files.
     *
     * @param count how many exist
     * @param bytes their valid bytes in total
     */
    public record SegmentsDescriptor(int count, long bytes) {
    }

    /**
     * The last fsync.
     *
     * @param at when it finished, or null if none yet
     * @param durationMicros how long it took
     */
    public record FsyncDescriptor(Instant at, long durationMicros) {
    }

    /**
     * What opening the database replayed.
     *
     * @param snapshotLsn the LSN of the snapshot it started from, 0 if none
     * @param recordsReplayed how many log records it applied
     * @param tornTailBytes how many bytes of a torn tail it cut off
     * @param durationMillis how long opening took
     */
    public record ReplayDescriptor(long snapshotLsn, long recordsReplayed, long tornTailBytes, long durationMillis) {
    }

    /**
     * The newest snapshot.
     *
     * @param lsn the LSN it reflects
     * @param at when it was written
     * @param bytes its size
     */
    public record SnapshotDescriptor(long lsn, Instant at, long bytes) {
    }
}
