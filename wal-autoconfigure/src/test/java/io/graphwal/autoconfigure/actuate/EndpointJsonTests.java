package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.autoconfigure.Graphs;
import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.io.FsyncFailingFileIO;
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
                    "segments", "lastFsync", "poisoned", "poison", "lastReplay", "lastSnapshot", "archive", "replica");
            assertThat(status.get("archive").isNull()).as("no archive configured").isTrue();
            assertThat(status.get("replica").isNull()).as("not a replica").isTrue();
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
    void archiveJsonHasThePromisedFields() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory.resolve("graph"),
                "graphwal.archive.directory=" + directory.resolve("archive"))
                .run((context) -> {
                    GraphDatabase database = context.getBean(GraphDatabase.class);
                    Graphs.addFriends(database);
                    database.wal().flush();
                    assertThat(database.archiver().awaitArchived(database.wal().durableLsn(),
                            java.time.Duration.ofSeconds(60))).isTrue();
                    JsonNode archive = json.valueToTree(context.getBean(WalEndpoint.class).status()).get("archive");
                    assertThat(fields(archive)).containsExactlyInAnyOrder("target", "timeline", "archivedLsn",
                            "lagMillis", "lastUpload", "lastError");
                    assertThat(archive.get("target").asString()).startsWith("file:");
                    assertThat(archive.get("archivedLsn").asLong()).isEqualTo(database.wal().durableLsn());
                    assertThat(fields(archive.get("lastUpload"))).containsExactlyInAnyOrder("at", "object", "bytes");
                    assertThat(archive.get("lastError").isNull()).isTrue();
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

    /**
     * The endpoints can never be a way in for polymorphic deserialization: none of their operations takes any
     * input, so nothing is ever read from a request, and every response, healthy or poisoned, is written by
     * Jackson as plain objects, arrays, strings, numbers and booleans, without a type id anywhere.
     */
    @Test
    void operationsTakeNoInputAndResponsesCarryNoTypeInformation() {
        for (Class<?> endpoint : List.of(WalEndpoint.class, GraphEndpoint.class)) {
            for (java.lang.reflect.Method method : endpoint.getDeclaredMethods()) {
                if (method.isAnnotationPresent(WriteOperation.class)
                        || method.isAnnotationPresent(DeleteOperation.class)
                        || method.isAnnotationPresent(ReadOperation.class)) {
                    assertThat(method.getParameterCount()).as("%s takes input", method).isZero();
                }
            }
        }
        contextRunner.withPropertyValues("graphwal.directory=" + directory)
            .withUserConfiguration(PoisonableDatabaseConfiguration.class)
            .run((context) -> {
                GraphDatabase database = context.getBean(GraphDatabase.class);
                Graphs.addFriends(database);
                WalEndpoint wal = context.getBean(WalEndpoint.class);
                GraphEndpoint graph = context.getBean(GraphEndpoint.class);
                List<Object> responses = new ArrayList<>(List.of(graph.checkpoint().getBody(), wal.status(),
                        graph.graph().getBody(), wal.flush().getBody()));
                context.getBean(FsyncFailingFileIO.class).failFsyncs();
                try {
                    Graphs.addFriends(database);
                } catch (RuntimeException expected) {
                    // the fsync failed and poisoned the log
                }
                responses.add(wal.flush().getBody());
                responses.add(wal.status());
                for (Object response : responses) {
                    assertPlain(json.valueToTree(response), response.getClass().getSimpleName());
                }
            });
    }

    private static void assertPlain(JsonNode node, String where) {
        if (node.isObject()) {
            for (String name : fields(node)) {
                assertThat(name).as("%s: a type id", where).doesNotStartWith("@");
                assertPlain(node.get(name), where + "." + name);
            }
        } else if (node.isArray()) {
            node.forEach((element) -> assertPlain(element, where + "[]"));
        } else {
            assertThat(node.isString() || node.isNumber() || node.isBoolean() || node.isNull())
                .as("%s is %s", where, node.getNodeType()).isTrue();
        }
    }

    @Test
    void graphJsonHasThePromisedFields() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            JsonNode graph = json.valueToTree(context.getBean(GraphEndpoint.class).graph().getBody());
            assertThat(fields(graph)).containsExactlyInAnyOrder("nodes", "relationships", "labels",
                    "relationshipTypes", "indexes");
            JsonNode checkpoint = json.valueToTree(context.getBean(GraphEndpoint.class).checkpoint().getBody());
            assertThat(fields(checkpoint)).containsExactlyInAnyOrder("lsn", "bytes", "durationMillis");
        });
    }
}
