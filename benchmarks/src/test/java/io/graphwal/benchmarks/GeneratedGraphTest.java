package io.graphwal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.List;

import org.apache.tinkerpop.gremlin.structure.Direction;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

class GeneratedGraphTest {

    @Test
    void theSameSeedDrawsTheSameGraphAndAnotherSeedAnother() {
        GeneratedGraph a = GeneratedGraph.generate(1000, 5000, GeneratedGraph.SEED);
        GeneratedGraph b = GeneratedGraph.generate(1000, 5000, GeneratedGraph.SEED);
        GeneratedGraph c = GeneratedGraph.generate(1000, 5000, GeneratedGraph.SEED + 1);
        int differing = 0;
        for (int i = 0; i < 5000; i++) {
            assertThat(a.start(i)).isEqualTo(b.start(i)).isBetween(0, 999);
            assertThat(a.end(i)).isEqualTo(b.end(i)).isBetween(0, 999);
            assertThat(a.type(i)).isEqualTo(b.type(i)).isIn((Object[]) GeneratedGraph.TYPES);
            if (a.start(i) != c.start(i)) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(4000);
        assertThat(a.name(255)).isEqualTo("userff");
        assertThat(a.number(7)).isEqualTo(b.number(7)).isNotEqualTo(a.number(8));
    }

    @Test
    void refusesCountsThatMakeNoGraph() {
        assertThatIllegalArgumentException().isThrownBy(() -> GeneratedGraph.generate(0, 10, 1))
                .withMessageContaining("at least one node");
        assertThatIllegalArgumentException().isThrownBy(() -> GeneratedGraph.generate(10, -1, 1))
                .withMessageContaining("relationships must be 0 or more");
    }

    @Test
    void graphWalAndTinkerGraphReceiveTheSameGraph(@TempDir Path directory) throws Exception {
        GeneratedGraph graph = GeneratedGraph.generate(300, 1200, 99);
        DatabaseConfig config = new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.NONE).build(), 0, 1);
        long[] ids;
        try (GraphDatabase db = GraphDatabase.open(config)) {
            ids = GraphLoaders.loadNodes(graph, db, 128);
            GraphLoaders.loadRelationships(graph, db, ids, 128);
        }
        try (GraphDatabase db = GraphDatabase.open(config); TinkerGraph tinker = GraphLoaders.toTinkerGraph(graph)) {
            long nodes = db.read(view -> view.nodeCount());
            long relationships = db.read(view -> view.relationshipCount());
            assertThat(nodes).isEqualTo(300);
            assertThat(relationships).isEqualTo(1200);
            assertThat(tinker.traversal().V().count().next()).isEqualTo(300);
            assertThat(tinker.traversal().E().count().next()).isEqualTo(1200);
            for (int node : new int[] {0, 17, 299}) {
                Node created = db.read(view -> view.node(ids[node])).orElseThrow();
                assertThat(created.labels()).containsExactly(GeneratedGraph.LABEL);
                assertThat(created.properties()).containsEntry(GeneratedGraph.NUMBER_KEY, graph.number(node))
                        .containsEntry(GeneratedGraph.NAME_KEY, graph.name(node));
                List<Vertex> vertex = tinker.traversal().V().has(GeneratedGraph.NAME_KEY, graph.name(node)).toList();
                assertThat(vertex).hasSize(1);
                long outgoing = 0;
                for (int i = 0; i < graph.relationships(); i++) {
                    outgoing += graph.start(i) == node ? 1 : 0;
                }
                List<Relationship> stored = db.read(view -> view.relationships(ids[node],
                        io.graphwal.graph.Direction.OUTGOING, null));
                assertThat(outgoing).isPositive();
                assertThat(stored).hasSize((int) outgoing);
                assertThat(vertex.get(0).edges(Direction.OUT)).toIterable().hasSize((int) outgoing);
            }
        }
    }
}
