package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Stops the app and starts it again on the same directory: everything written over HTTP before, through
 * the single routes, a multi-operation transaction and a checkpoint, is there after, and ids go on from where
 * they were.
 */
class RestartTests {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext app;

    private Http start() {
        app = new SpringApplicationBuilder(SampleApplication.class)
                .run("--server.port=0", "--graphwal.directory=" + dir.resolve("graph"));
        return new Http(Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port")));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everythingWrittenBeforeAStopIsReadBackAfterARestart() {
        Http http = start();
        long ann = created(http.post("/api/nodes", "{\"labels\":[\"Person\"],\"properties\":{\"name\":\"Ann\","
                + "\"age\":31,\"score\":0.5,\"ok\":true,\"raw\":{\"$base64\":\"AAE=\"},\"tags\":[\"x\",\"y\"]}}"));
        long gone = created(http.post("/api/nodes", "{\"labels\":[\"Person\"]}"));
        JsonNode tx = ApiTests.expect(http.post("/api/transactions", "{\"operations\":["
                + "{\"op\":\"createNode\",\"key\":\"bob\",\"labels\":[\"Person\"],\"properties\":{\"name\":\"Bob\"}},"
                + "{\"op\":\"createRelationship\",\"type\":\"KNOWS\",\"from\":" + ann + ",\"to\":\"bob\","
                + "\"properties\":{\"since\":2019}}]}"), 200);
        long bob = tx.get("nodes").get("bob").asLong();
        JsonNode checkpoint = ApiTests.expect(http.post("/actuator/graph", null), 200);
        long likes = created(http.post("/api/relationships", "{\"type\":\"LIKES\",\"from\":" + bob + ",\"to\":" + ann
                + "}"));
        ApiTests.expect(http.patch("/api/nodes/" + ann, "{\"properties\":{\"age\":32,\"score\":null},"
                + "\"addLabels\":[\"Admin\"]}"), 200);
        ApiTests.expect(http.delete("/api/nodes/" + gone), 204);
        List<String> before = snapshot(http, ann, bob);
        app.close();

        http = start();
        assertThat(snapshot(http, ann, bob)).isEqualTo(before);
        ApiTests.problem(http.get("/api/nodes/" + gone), 404, "does not exist");
        JsonNode replay = ApiTests.expect(http.get("/actuator/wal"), 200).get("lastReplay");
        assertThat(replay.get("snapshotLsn").asLong()).isEqualTo(checkpoint.get("lsn").asLong());
        assertThat(replay.get("recordsReplayed").asLong()).isEqualTo(3);
        assertThat(created(http.post("/api/nodes", "{}"))).isGreaterThan(Math.max(gone, bob));
        assertThat(created(http.post("/api/relationships", "{\"type\":\"T\",\"from\":" + ann + ",\"to\":" + bob
                + "}"))).isGreaterThan(likes);
    }

    private static long created(Http.Response response) {
        return ApiTests.expect(response, 201).get("id").asLong();
    }

    /** What a client can see of the graph, as JSON text. */
    private static List<String> snapshot(Http http, long... nodes) {
        List<String> seen = new ArrayList<>();
        seen.add(ApiTests.expect(http.get("/api/nodes?label=Person"), 200).toString());
        for (long node : nodes) {
            seen.add(ApiTests.expect(http.get("/api/nodes/" + node), 200).toString());
            seen.add(ApiTests.expect(http.get("/api/nodes/" + node + "/relationships"), 200).toString());
        }
        JsonNode graph = ApiTests.expect(http.get("/actuator/graph"), 200);
        seen.add(graph.get("nodes").toString() + " " + graph.get("relationships") + " " + graph.get("labels"));
        assertThat(seen).allSatisfy(text -> assertThat(text).isNotEqualTo("[]"));
        return seen;
    }
}
