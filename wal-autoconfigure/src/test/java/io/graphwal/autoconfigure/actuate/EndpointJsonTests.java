package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.autoconfigure.FsyncFailingFileIO;
import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.replay.GraphDatabase;

/** The endpoints' responses carry the field names the specification promises once written as JSON. */
class EndpointJsonTests {

    @TempDir
    Path directory;

    private final JsonMapper json = JsonMapper.builder().build();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class,
                GraphWalEndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=wal,graph");

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    @Test
    void walStatusJsonHasThePromisedFields() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            Graphs.addFriends(database);
            database.checkpoint();
            JsonNode status = json.valueToTree(context.getBean(WalEndpoint.class).status());
            assertThat(fields(status)).containsExactlyInAnyOrder("syncMode", "directory", "appendedLsn", "durableLsn",
                    "segments", "lastFsync", "poisoned", "poison", "lastReplay", "lastSnapshot");
            assertThat(fields(status.get("segments"))).containsExactlyInAnyOrder("count", "bytes");
            assertThat(fields(status.get("lastFsync"))).containsExactlyInAnyOrder("at", "durationMicros");
            assertThat(status.get("lastFsync").get("at").isString()).isTrue();
            assertThat(status.get("poison").isNull()).isTrue();
            assertThat(fields(status.get("lastReplay"))).containsExactlyInAnyOrder("snapshotLsn", "recordsReplayed",
                    "tornTailBytes", "durationMillis");
            assertThat(fields(status.get("lastSnapshot"))).containsExactlyInAnyOrder("lsn", "at", "bytes");
        });
    }

    @Test
    void poisonJsonHasTheCauseTimeAndLsn() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withUserConfiguration(PoisonableDatabaseConfiguration.class)
            .run((context) -> {
                GraphDatabase database = context.getBean(GraphDatabase.class);
                context.getBean(FsyncFailingFileIO.class).failFsyncs();
                try {
                    Graphs.addFriends(database);
                } catch (RuntimeException expected) {
                    // the fsync failed and poisoned the log
                }
                JsonNode status = json.valueToTree(context.getBean(WalEndpoint.class).status());
                assertThat(status.get("poisoned").asBoolean()).isTrue();
                assertThat(fields(status.get("poison"))).contains("cause", "at", "lsn");
            });
    }

    @Test
    void graphJsonHasThePromisedFields() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            JsonNode graph = json.valueToTree(context.getBean(GraphEndpoint.class).graph());
            assertThat(fields(graph)).containsExactlyInAnyOrder("nodes", "relationships", "labels",
                    "relationshipTypes", "indexes");
            JsonNode checkpoint = json.valueToTree(context.getBean(GraphEndpoint.class).checkpoint().getBody());
            assertThat(fields(checkpoint)).containsExactlyInAnyOrder("lsn", "bytes", "durationMillis");
        });
    }
}
