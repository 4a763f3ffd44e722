package io.graphwal.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.graphwal.archive.Archiver;
import io.graphwal.replay.CheckpointReport;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.replay.ReplayReport;
import io.graphwal.wal.WalStatus;

/**
 * Metrics read from a {@link GraphDatabase} when they are published: the log's LSNs, segments and poison,
 * the replay that opened it, its snapshots and the size of the graph.
 * {@code graphwal.snapshot.duration} is recorded by a checkpoint listener, so every checkpoint completed after
 * binding is timed, on demand or automatic.
 */
public final class GraphWalMetrics implements MeterBinder {

    private final GraphDatabase database;
    private final ArchiveMetrics archiveMetrics;

    /**
     * Creates the binder, without the archive's counters.
     *
     * @param database the database to observe
     */
    public GraphWalMetrics(GraphDatabase database) {
        this(database, null);
    }

    /**
     * Creates the binder.
     *
     * @param database the database to observe
     * @param archiveMetrics the counters its archiver feeds, bound when it has an archive; may be null
     */
    public GraphWalMetrics(GraphDatabase database, ArchiveMetrics archiveMetrics) {
        this.database = database;
        this.archiveMetrics = archiveMetrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("graphwal.wal.lsn", database, (db) -> db.wal().appendedLsn())
            .description("Newest log sequence number written (appended) or fsynced (durable)")
            .baseUnit("lsn")
            .tag("kind", "appended")
            .register(registry);
        Gauge.builder("graphwal.wal.lsn", database, (db) -> db.wal().durableLsn())
            .description("Newest log sequence number written (appended) or fsynced (durable)")
            .baseUnit("lsn")
            .tag("kind", "durable")
            .register(registry);
        Gauge.builder("graphwal.wal.segments", database, (db) -> db.wal().status().segmentCount())
            .description("Segment files of the write-ahead log")
            .baseUnit("segments")
            .register(registry);
        Gauge.builder("graphwal.wal.poisoned", database, (db) -> (db.wal().poison() != null) ? 1 : 0)
            .description("1 once a failed write or fsync made the log refuse writes, else 0")
            .register(registry);
        ReplayReport replay = database.lastReplay();
        Timer.builder("graphwal.replay.duration")
            .description("Time taken to open the graph: load the newest snapshot and replay the log after it")
            .register(registry)
            .record(replay.duration());
        Timer checkpoints = Timer.builder("graphwal.snapshot.duration")
            .description("Time taken by checkpoints, from freezing the graph to purging the log")
            .register(registry);
        database.addCheckpointListener((report) -> checkpoints.record(report.duration()));
        Gauge.builder("graphwal.snapshot.bytes", database, GraphWalMetrics::lastSnapshotBytes)
            .description("Size of the last snapshot this process wrote")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        Gauge.builder("graphwal.graph.nodes", database, (db) -> db.read((view) -> view.nodeCount()))
            .description("Nodes in the graph")
            .baseUnit("nodes")
            .register(registry);
        Gauge.builder("graphwal.graph.relationships", database, (db) -> db.read((view) -> view.relationshipCount()))
            .description("Relationships in the graph")
            .baseUnit("relationships")
            .register(registry);
        Archiver archiver = database.archiver();
        if (archiver != null) {
            Gauge.builder("graphwal.archive.lsn", archiver, (a) -> a.status().archivedLsn())
                .description("Newest LSN up to which every durable transaction is in the archive")
                .baseUnit("lsn")
                .register(registry);
            Gauge.builder("graphwal.archive.lag", archiver, (a) -> a.status().lagMillis() / 1000.0)
                .description("Age of the oldest durable transaction not yet archived; 0 when all are")
                .baseUnit("seconds")
                .register(registry);
            if (archiveMetrics != null) {
                archiveMetrics.bindTo(registry);
            }
        }
    }

    private static double lastSnapshotBytes(GraphDatabase database) {
        CheckpointReport report = database.lastCheckpoint();
        return (report != null) ? report.bytes() : Double.NaN;
    }
}
