package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.graph.Direction;
import io.graphwal.graph.Node;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The engine example of {@code docs/java-api.md} (linked from the README), verbatim between the markers: it
 * runs here, and the page's first Java block must be exactly the code between them, so the page cannot drift
 * from the code.
 */
class ReadmeExampleTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path PAGE = MODULE.resolve("../docs/java-api.md");
    private static final Path SOURCE = MODULE.resolve("src/test/java/io/graphwal/replay/ReadmeExampleTest.java");

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
            Node annAgain = db.read(view -> view.node(ann)).orElseThrow();
            assertThat(annAgain.properties()).containsEntry("age", 31L);
            List<Node> friends = db.read(view -> view.neighbours(ann, Direction.OUTGOING, "KNOWS"));
            assertThat(friends).extracting(node -> node.properties().get("name")).containsExactly("Bob");
            assertThat(db.lastReplay().snapshotLsn()).isEqualTo(1);
        }
    }

    @Test
    void thePageShowsExactlyTheCodeThatRunsHere() throws IOException {
        List<String> source = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
        int from = indexOfTrimmed(source, "// README-EXAMPLE-START");
        int to = indexOfTrimmed(source, "// README-EXAMPLE-END");
        assertThat(from).as("start marker in %s", SOURCE).isNotNegative();
        assertThat(to).as("end marker in %s", SOURCE).isGreaterThan(from);
        List<String> example = source.subList(from + 1, to);
        int indent = example.get(0).length() - example.get(0).stripLeading().length();
        List<String> expected = example.stream()
                .map(line -> line.length() >= indent ? line.substring(indent) : line.strip())
                .toList();

        List<String> page = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
        int open = page.indexOf("```java");
        assertThat(open).as("a ```java block in %s", PAGE).isNotNegative();
        int close = page.subList(open + 1, page.size()).indexOf("```") + open + 1;
        assertThat(close).as("the end of the first ```java block in %s", PAGE).isGreaterThan(open);
        assertThat(page.subList(open + 1, close)).as("the first Java block of %s", PAGE)
                .containsExactlyElementsOf(expected);
    }

    private static int indexOfTrimmed(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
