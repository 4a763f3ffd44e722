package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.reliability.SuiteSummary;
import tools.jackson.databind.JsonNode;

/**
 * The sample jar in a small heap ({@code -Xmx256m}) receiving the requests that once broke it: a PATCH adding
 * 20,000 labels to one node, a PATCH setting 40,000 properties on it, and a 48 MB transaction body. Each is
 * refused with a 4xx problem detail; the app keeps answering; the node holds nothing of them (no transaction
 * is half applied); a checkpoint taken afterwards and a restart on the same directory bring back the node as
 * it was. The first two are refused by the engine's graph limits, the third by the sample's body limit.
 * Summary in {@code target/reliability/limits-sample.txt}.
 */
class LimitsIT {

    @TempDir
    Path dir;

    private SampleAppProcess app;

    @AfterEach
    void stopTheChild() {
        if (app != null) {
            app.close();
        }
    }

    private static JsonNode refused(Http.Response response) {
        assertThat(response.status()).as("%s", response.toString().substring(0,
                Math.min(500, response.toString().length()))).isBetween(400, 499);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(response.status());
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    @Test
    void requestsPastEveryLimitAreRefusedWholeInASmallHeapAndTheGraphRestartsIntact() {
        long started = System.nanoTime();
        String[] args = {"--graphwal.directory=" + dir.resolve("graph")};
        List<String> smallHeap = List.of("-Xmx256m");
        app = SampleAppProcess.start(dir, smallHeap, args);
        Http http = app.http();
        long id = ApiTests.expect(http.post("/api/nodes", "{\"labels\":[\"Target\"],\"properties\":{\"name\":\"kept\"}}"),
                201).get("id").asLong();
        String node = ApiTests.expect(http.get("/api/nodes/" + id), 200).toString();

        StringBuilder labels = new StringBuilder("{\"addLabels\":[");
        for (int i = 0; i < 20_000; i++) {
            labels.append(i == 0 ? "" : ",").append("\"L").append(i).append('"');
        }
        refused(http.patch("/api/nodes/" + id, labels.append("]}").toString()));
        assertThat(ApiTests.expect(http.get("/api/nodes/" + id), 200).toString()).as("after 20,000 labels")
                .isEqualTo(node);

        StringBuilder properties = new StringBuilder("{\"properties\":{");
        for (int i = 0; i < 40_000; i++) {
            properties.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":\"value").append(i).append('"');
        }
        refused(http.patch("/api/nodes/" + id, properties.append("}}").toString()));
        assertThat(ApiTests.expect(http.get("/api/nodes/" + id), 200).toString()).as("after 40,000 properties")
                .isEqualTo(node);

        String head = "{\"operations\":[{\"op\":\"createNode\",\"properties\":{\"blob\":\"";
        String tail = "\"}}]}";
        byte[] huge = (head + "x".repeat(48 * 1024 * 1024 - head.length() - tail.length()) + tail)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refused(http.upload("POST", "/api/transactions", huge)).get("detail").asString())
                .contains("sample.max-request-size");

        assertThat(ApiTests.expect(http.get("/api/nodes/" + id), 200).toString()).as("after 48 MB").isEqualTo(node);
        JsonNode graph = ApiTests.expect(http.get("/actuator/graph"), 200);
        assertThat(graph.get("nodes").asLong()).isEqualTo(1);
        assertThat(graph.get("labels").toString()).isEqualTo("{\"Target\":1}");
        // A snapshot now would hold any half-applied state; the restart below loads it.
        ApiTests.expect(http.post("/actuator/graph", null), 200);

        app.stop();
        app = SampleAppProcess.start(dir, smallHeap, args);
        http = app.http();
        assertThat(ApiTests.expect(http.get("/api/nodes/" + id), 200).toString()).as("after the restart")
                .isEqualTo(node);
        assertThat(ApiTests.expect(http.get("/actuator/graph"), 200).get("nodes").asLong()).isEqualTo(1);
        app.stop();

        SuiteSummary.write("limits-sample", "heap=256m refused=3 halfApplied=0 restarts=1 durationMillis="
                + (System.nanoTime() - started) / 1_000_000);
    }
}
