package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * The "done when": in {@code per-commit} mode, everything the app acknowledged over HTTP survives
 * {@code kill -9} of the real jar, with no snapshot to help: the restart rebuilds it from the log alone.
 */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    private SampleAppProcess app;

    @AfterEach
    void killTheChild() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9InPerCommitMode() {
        String[] args = {"--graphwal.directory=" + dir.resolve("graph"), "--graphwal.wal.sync-mode=per-commit"};
        app = SampleAppProcess.start(dir, args);
        Http http = app.http();
        Map<Long, String> nodes = new LinkedHashMap<>();
        Map<Long, String> relationships = new LinkedHashMap<>();
        int commits = 0;
        for (int i = 0; i < 40; i++) {
            JsonNode node = ApiTests.expect(http.post("/api/nodes", "{\"labels\":[\"Item\",\"Batch" + (i % 3)
                    + "\"],\"properties\":{\"n\":" + i + ",\"half\":" + (i / 2.0) + ",\"name\":\"item " + i + "\"}}"),
                    201);
            nodes.put(node.get("id").asLong(), node.toString());
            commits++;
        }
        Long[] ids = nodes.keySet().toArray(Long[]::new);
        for (int i = 1; i < ids.length; i++) {
            JsonNode relationship = ApiTests.expect(http.post("/api/relationships", "{\"type\":\"NEXT\",\"from\":"
                    + ids[i - 1] + ",\"to\":" + ids[i] + ",\"properties\":{\"step\":" + i + "}}"), 201);
            relationships.put(relationship.get("id").asLong(), relationship.toString());
            commits++;
        }
        JsonNode tx = ApiTests.expect(http.post("/api/transactions", "{\"operations\":["
                + "{\"op\":\"createNode\",\"key\":\"hub\",\"labels\":[\"Hub\"]},"
                + "{\"op\":\"createRelationship\",\"key\":\"first\",\"type\":\"HAS\",\"from\":\"hub\",\"to\":" + ids[0]
                + "},{\"op\":\"updateNode\",\"node\":" + ids[1] + ",\"properties\":{\"name\":null,\"flag\":true}}]}"),
                200);
        commits++;
        long hub = tx.get("nodes").get("hub").asLong();
        nodes.put(hub, ApiTests.expect(http.get("/api/nodes/" + hub), 200).toString());
        long first = tx.get("relationships").get("first").asLong();
        relationships.put(first, ApiTests.expect(http.get("/api/relationships/" + first), 200).toString());
        nodes.put(ids[1], ApiTests.expect(http.get("/api/nodes/" + ids[1]), 200).toString());
        // The last acknowledged write, immediately before the kill: the one most at risk.
        JsonNode last = ApiTests.expect(http.patch("/api/nodes/" + ids[2], "{\"addLabels\":[\"Last\"]}"), 200);
        nodes.put(ids[2], last.toString());
        commits++;

        app.killHard();
        assertThat(app.exitValue()).as("killed, not shut down").isNotZero();

        app = SampleAppProcess.start(dir, args);
        http = app.http();
        for (Map.Entry<Long, String> node : nodes.entrySet()) {
            assertThat(ApiTests.expect(http.get("/api/nodes/" + node.getKey()), 200).toString())
                    .isEqualTo(node.getValue());
        }
        for (Map.Entry<Long, String> relationship : relationships.entrySet()) {
            assertThat(ApiTests.expect(http.get("/api/relationships/" + relationship.getKey()), 200).toString())
                    .isEqualTo(relationship.getValue());
        }
        JsonNode graph = ApiTests.expect(http.get("/actuator/graph"), 200);
        assertThat(graph.get("nodes").asLong()).isEqualTo(nodes.size());
        assertThat(graph.get("relationships").asLong()).isEqualTo(relationships.size());
        JsonNode replay = ApiTests.expect(http.get("/actuator/wal"), 200).get("lastReplay");
        assertThat(replay.get("snapshotLsn").asLong()).isZero();
        assertThat(replay.get("recordsReplayed").asLong()).isEqualTo(commits);
    }
}
