package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.graph.Direction;
import io.graphwal.graph.Node;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/** The README's engine example, verbatim between the markers, so the README cannot drift from the code. */
class ReadmeExampleTest {

    @TempDir
    Path dataDirectory;

    @Test
    void theReadmeExampleRunsAndItsDataSurvivesAReopen() {
        // README-EXAMPLE-START
        DatabaseConfig config = DatabaseConfig.of(WalConfig.builder(dataDirectory)
                .syncMode(SyncMode.PER_COMMIT)
                .build());
        long ann;
        try (GraphDatabase db = GraphDatabase.open(config)) {
            ann = db.commit(tx -> {
                long a = tx.createNode(List.of("Person"), Map.of("name", "Ann", "age", 31));
                long b = tx.createNode(List.of("Person"), Map.of("name", "Bob"));
                tx.createRelationship(a, b, "KNOWS", Map.of("since", 2019));
                return a;
            }).value();
            List<Node> friends = db.read(view -> view.neighbours(ann, Direction.OUTGOING, "KNOWS"));
            System.out.println(friends.get(0).properties().get("name"));   // Bob
            db.checkpoint();                                                 // snapshot + purge
        }
        try (GraphDatabase db = GraphDatabase.open(config)) {               // replays snapshot + log
            List<Node> anns = db.read(view -> view.nodesWithProperty("Person", "name", "Ann"));
            System.out.println(anns);
        }
        // README-EXAMPLE-END
        try (GraphDatabase db = GraphDatabase.open(config)) {
            Node annAgain = db.graph().node(ann).orElseThrow();
            assertThat(annAgain.properties()).containsEntry("age", 31L);
            List<Node> friends = db.read(view -> view.neighbours(ann, Direction.OUTGOING, "KNOWS"));
            assertThat(friends).extracting(node -> node.properties().get("name")).containsExactly("Bob");
            assertThat(db.lastReplay().snapshotLsn()).isEqualTo(1);
        }
    }
}
