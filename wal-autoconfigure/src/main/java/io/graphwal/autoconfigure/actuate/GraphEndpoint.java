package io.graphwal.autoconfigure.actuate;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import io.graphwal.graph.IndexDefinition;
import io.graphwal.replay.CheckpointReport;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.graph.GraphFailedException;
import io.graphwal.wal.WalPoisonedException;

/**
 * {@link Endpoint @Endpoint} {@code graph}: counts the graph's contents, and (where access is granted, which
 * it is not by default) writes a checkpoint on demand.
 */
@Endpoint(id = "graph", defaultAccess = Access.READ_ONLY)
public class GraphEndpoint {

    private final GraphDatabase database;

    /**
     * Creates the endpoint.
     *
     * @param database the database it reports
     */
    public GraphEndpoint(GraphDatabase database) {
        this.database = database;
    }

    /**
     * Counts nodes and relationships, per label and type, and lists the property indexes.
     *
     * @return the counts, all from one consistent view; or status 503 naming the cause if the graph stopped
     *     serving because a logged transaction failed to apply
     */
    @ReadOperation
    public WebEndpointResponse<Object> graph() {
        try {
            return new WebEndpointResponse<>(database.read((view) -> new GraphDescriptor(view.nodeCount(),
                    view.relationshipCount(), view.labels(), view.relationshipTypes(),
                    view.indexes().stream().map(IndexDescriptor::of).toList())));
        } catch (GraphFailedException e) {
            // The graph stopped serving after a logged transaction failed to apply: say why, as the status does.
            return WalEndpoint.failed("read of the graph", e);
        }
    }

    /**
     * Writes a snapshot now.
     *
     * @return its {@code lsn}, {@code bytes} and {@code durationMillis}; or status 503 with the poison detail
     *     if the log is poisoned; or, if the checkpoint fails otherwise, an {@code error} body with the
     *     {@code message} and root {@code cause} (507 for a full disk, 503 once the log is closed, else 500)
     */
    @WriteOperation
    public WebEndpointResponse<Object> checkpoint() {
        try {
            CheckpointReport report = database.checkpoint();
            return new WebEndpointResponse<>(
                    new CheckpointDescriptor(report.lsn(), report.bytes(), report.duration().toMillis()));
        } catch (WalPoisonedException e) {
            return WalEndpoint.poisoned(database);
        } catch (RuntimeException e) {
            return WalEndpoint.failed("checkpoint", e);
        }
    }

    /**
     * The graph's contents.
     *
     * @param nodes how many nodes exist
     * @param relationships how many relationships exist
     * @param labels node count per label
     * @param relationshipTypes relationship count per type
     * @param indexes the property indexes
     */
    public record GraphDescriptor(long nodes, long relationships, Map<String, Long> labels,
            Map<String, Long> relationshipTypes, List<IndexDescriptor> indexes) {
    }

    /**
     * A property index.
     *
     * @param label the indexed label
     * @param key the indexed property key
     */
    public record IndexDescriptor(String label, String key) {

        static IndexDescriptor of(IndexDefinition index) {
            return new IndexDescriptor(index.label(), index.key());
        }
    }

    /**
     * A completed checkpoint.
     *
     * @param lsn the LSN the snapshot reflects
     * @param bytes its size
     * @param durationMillis how long it took
     */
    public record CheckpointDescriptor(long lsn, long bytes, long durationMillis) {
    }
}
