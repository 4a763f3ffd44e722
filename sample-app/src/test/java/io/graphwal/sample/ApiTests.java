package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.graphwal.replay.GraphDatabase;
import tools.jackson.databind.JsonNode;

/**
 * Every route of the REST API and its error cases, over real HTTP against the whole app on a random port,
 * configured by its own {@code application.yml} except for the data directory. One application context
 * serves every nested group; once they are done the test framework stops it, which closes the graph, before
 * JUnit removes the directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("graphwal.directory", () -> dir.resolve("graph").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    GraphDatabase db;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static JsonNode expect(Http.Response response, int status) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        return response.body().isEmpty() ? null : response.json();
    }

    /** Asserts an RFC 9457 problem detail with this status whose detail contains every fragment. */
    static JsonNode problem(Http.Response response, int status, String... detail) {
        JsonNode problem = expect(response, status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotEmpty();
        assertThat(problem.get("detail").asString()).contains(detail);
        return problem;
    }

    long createNode(String json) {
        return expect(http.post("/api/nodes", json), 201).get("id").asLong();
    }

    long createRelationship(String type, long from, long to) {
        return expect(http.post("/api/relationships", "{\"type\":\"" + type + "\",\"from\":" + from + ",\"to\":" + to
                + "}"), 201).get("id").asLong();
    }

    long nodeCount() {
        return db.read(view -> view.nodeCount());
    }

    @Nested
    class Nodes {

        @Test
        void createAnswers201WithLocationAndTheNodeAsStored() {
            Http.Response created = http.post("/api/nodes",
                    "{\"labels\":[\"Person\",\"Admin\",\"Person\"],\"properties\":{\"name\":\"Ann\",\"age\":31,"
                            + "\"score\":2.5,\"active\":true,\"tags\":[\"a\",\"b\"],\"gone\":null}}");
            JsonNode node = expect(created, 201);
            long id = node.get("id").asLong();
            assertThat(created.location()).endsWith("/api/nodes/" + id);
            assertThat(node.get("labels").toString()).isEqualTo("[\"Admin\",\"Person\"]");
            assertThat(node.get("properties").toString()).isEqualTo(
                    "{\"name\":\"Ann\",\"age\":31,\"score\":2.5,\"active\":true,\"tags\":[\"a\",\"b\"]}");

            assertThat(expect(http.get("/api/nodes/" + id), 200)).isEqualTo(node);
        }

        @Test
        void createWithoutLabelsOrPropertiesMakesAnEmptyNode() {
            JsonNode node = expect(http.post("/api/nodes", "{}"), 201);
            assertThat(node.get("labels").size()).isZero();
            assertThat(node.get("properties").size()).isZero();
        }

        @Test
        void bytesTravelAsBase64Objects() {
            JsonNode node = expect(http.post("/api/nodes",
                    "{\"properties\":{\"raw\":{\"$base64\":\"AAH/\"},\"many\":[{\"$base64\":\"AQ==\"}]}}"), 201);
            assertThat(node.get("properties").toString())
                    .isEqualTo("{\"raw\":{\"$base64\":\"AAH/\"},\"many\":[{\"$base64\":\"AQ==\"}]}");
            byte[] stored = (byte[]) db.read(view -> view.node(node.get("id").asLong())).orElseThrow()
                    .properties().get("raw");
            assertThat(stored).containsExactly(0, 1, 255);
        }

        @Test
        void integersMixedWithDecimalsInAListBecomeDecimals() {
            JsonNode node = expect(http.post("/api/nodes", "{\"properties\":{\"xs\":[1,2.5]}}"), 201);
            assertThat(node.get("properties").get("xs").toString()).isEqualTo("[1.0,2.5]");
        }

        @Test
        void getOfAnUnknownNodeIs404() {
            problem(http.get("/api/nodes/987654"), 404, "Node 987654 does not exist");
        }

        @Test
        void patchSetsAndRemovesPropertiesAndLabelsTogether() {
            long id = createNode("{\"labels\":[\"Person\",\"Temp\"],\"properties\":{\"name\":\"Bob\",\"age\":40}}");
            JsonNode patched = expect(http.patch("/api/nodes/" + id, "{\"properties\":{\"age\":null,\"city\":\"Oslo\"},"
                    + "\"addLabels\":[\"Admin\"],\"removeLabels\":[\"Temp\"]}"), 200);
            assertThat(patched.get("labels").toString()).isEqualTo("[\"Admin\",\"Person\"]");
            assertThat(patched.get("properties").toString()).isEqualTo("{\"name\":\"Bob\",\"city\":\"Oslo\"}");
            assertThat(expect(http.get("/api/nodes/" + id), 200)).isEqualTo(patched);
        }

        @Test
        void patchOfAnUnknownNodeIs404EvenWhenEmpty() {
            problem(http.patch("/api/nodes/987654", "{}"), 404, "Node 987654 does not exist");
        }

        @Test
        void patchWithABadValueChangesNothing() {
            long id = createNode("{\"properties\":{\"name\":\"Cy\"}}");
            problem(http.patch("/api/nodes/" + id, "{\"properties\":{\"name\":\"Di\",\"bad\":[[1]]}}"), 400,
                    "Field 'properties.bad[0]'");
            assertThat(expect(http.get("/api/nodes/" + id), 200).get("properties").get("name").asString())
                    .isEqualTo("Cy");
        }

        @Test
        void deleteAnswers204AndTheNodeIsGone() {
            long id = createNode("{}");
            assertThat(expect(http.delete("/api/nodes/" + id), 204)).isNull();
            problem(http.get("/api/nodes/" + id), 404, "does not exist");
            problem(http.delete("/api/nodes/" + id), 404, "Node " + id + " does not exist");
        }

        @Test
        void deleteOfANodeWithRelationshipsIs409UnlessDetached() {
            long a = createNode("{}");
            long b = createNode("{}");
            long knows = createRelationship("KNOWS", a, b);

            problem(http.delete("/api/nodes/" + a), 409, "still has 1 relationship", "detach");
            expect(http.get("/api/nodes/" + a), 200);

            expect(http.delete("/api/nodes/" + a + "?detach=true"), 204);
            problem(http.get("/api/nodes/" + a), 404, "does not exist");
            problem(http.get("/api/relationships/" + knows), 404, "Relationship " + knows + " does not exist");
            expect(http.get("/api/nodes/" + b), 200);
        }

        @Test
        void findByLabelListsTheNodesWithIt() {
            long a = createNode("{\"labels\":[\"FindMe\"]}");
            long b = createNode("{\"labels\":[\"FindMe\",\"Other\"]}");
            createNode("{\"labels\":[\"Other\"]}");
            JsonNode found = expect(http.get("/api/nodes?label=FindMe"), 200);
            assertThat(found.isArray()).isTrue();
            assertThat(found.valueStream().map(node -> node.get("id").asLong())).containsExactly(a, b);
            assertThat(expect(http.get("/api/nodes?label=NoSuchLabel"), 200).size()).isZero();
        }

        @Test
        void findByPropertyReadsTheValueAsJsonWhenItIsJson() {
            long number = createNode("{\"labels\":[\"Typed\"],\"properties\":{\"v\":31}}");
            long text = createNode("{\"labels\":[\"Typed\"],\"properties\":{\"v\":\"31\"}}");
            long word = createNode("{\"labels\":[\"Typed\"],\"properties\":{\"v\":\"Ann\"}}");
            long flag = createNode("{\"labels\":[\"Typed\"],\"properties\":{\"v\":true}}");
            assertThat(ids("/api/nodes?label=Typed&key=v&value=31")).containsExactly(number);
            assertThat(ids("/api/nodes?label=Typed&key=v&value=%2231%22")).containsExactly(text);
            assertThat(ids("/api/nodes?label=Typed&key=v&value=Ann")).containsExactly(word);
            assertThat(ids("/api/nodes?label=Typed&key=v&value=true")).containsExactly(flag);
        }

        private List<Long> ids(String path) {
            return expect(http.get(path), 200).valueStream().map(node -> node.get("id").asLong()).toList();
        }

        @Test
        void findNeedsALabelAndBothKeyAndValue() {
            problem(http.get("/api/nodes"), 400, "label");
            problem(http.get("/api/nodes?label=L&key=k"), 400, "Query parameter 'value' is required");
            problem(http.get("/api/nodes?label=L&value=v"), 400, "Query parameter 'key' is required");
        }

        @Test
        void relationshipsOfANodeByDirectionAndType() {
            long a = createNode("{}");
            long b = createNode("{}");
            long out = createRelationship("KNOWS", a, b);
            long in = createRelationship("KNOWS", b, a);
            long likes = createRelationship("LIKES", a, b);

            assertThat(relationshipIds(a, "?direction=OUT")).containsExactlyInAnyOrder(out, likes);
            assertThat(relationshipIds(a, "?direction=IN")).containsExactly(in);
            assertThat(relationshipIds(a, "?direction=BOTH&type=KNOWS")).containsExactlyInAnyOrder(out, in);
            assertThat(relationshipIds(a, "")).containsExactlyInAnyOrder(out, in, likes);
            JsonNode first = expect(http.get("/api/nodes/" + a + "/relationships?direction=OUT&type=LIKES"), 200).get(0);
            assertThat(first.toString()).isEqualTo("{\"id\":" + likes + ",\"type\":\"LIKES\",\"from\":" + a + ",\"to\":"
                    + b + ",\"properties\":{}}");
        }

        private List<Long> relationshipIds(long node, String query) {
            return expect(http.get("/api/nodes/" + node + "/relationships" + query), 200).valueStream()
                    .map(relationship -> relationship.get("id").asLong()).toList();
        }

        @Test
        void relationshipsOfAnUnknownNodeIs404AndABadDirection400() {
            problem(http.get("/api/nodes/987654/relationships"), 404, "Node 987654 does not exist");
            long a = createNode("{}");
            problem(http.get("/api/nodes/" + a + "/relationships?direction=UP"), 400,
                    "Query parameter 'direction' is 'UP'; use OUT, IN or BOTH");
        }
    }

    @Nested
    class Relationships {

        @Test
        void createAnswers201WithLocationAndGetAndDeleteWork() {
            long a = createNode("{}");
            long b = createNode("{}");
            Http.Response created = http.post("/api/relationships",
                    "{\"type\":\"KNOWS\",\"from\":" + a + ",\"to\":" + b + ",\"properties\":{\"since\":2019}}");
            JsonNode relationship = expect(created, 201);
            long id = relationship.get("id").asLong();
            assertThat(created.location()).endsWith("/api/relationships/" + id);
            assertThat(relationship.toString()).isEqualTo("{\"id\":" + id + ",\"type\":\"KNOWS\",\"from\":" + a
                    + ",\"to\":" + b + ",\"properties\":{\"since\":2019}}");
            assertThat(expect(http.get("/api/relationships/" + id), 200)).isEqualTo(relationship);

            expect(http.delete("/api/relationships/" + id), 204);
            problem(http.get("/api/relationships/" + id), 404, "Relationship " + id + " does not exist");
            problem(http.delete("/api/relationships/" + id), 404, "Relationship " + id + " does not exist");
            expect(http.delete("/api/nodes/" + a), 204);
        }

        @Test
        void createWithAMissingEndpointIs404AndLogsNothing() {
            long a = createNode("{}");
            long lsn = db.wal().appendedLsn();
            problem(http.post("/api/relationships", "{\"type\":\"KNOWS\",\"from\":" + a + ",\"to\":987654}"), 404,
                    "The end node 987654 does not exist");
            problem(http.post("/api/relationships", "{\"type\":\"KNOWS\",\"from\":987654,\"to\":" + a + "}"), 404,
                    "The start node 987654 does not exist");
            assertThat(db.wal().appendedLsn()).isEqualTo(lsn);
        }

        @Test
        void createNeedsTypeFromAndTo() {
            long a = createNode("{}");
            problem(http.post("/api/relationships", "{\"from\":" + a + ",\"to\":" + a + "}"), 400,
                    "Field 'type' is required");
            problem(http.post("/api/relationships", "{\"type\":\"T\",\"to\":" + a + "}"), 400,
                    "Field 'from' is required");
            problem(http.post("/api/relationships", "{\"type\":\"T\",\"from\":" + a + "}"), 400,
                    "Field 'to' is required");
        }
    }

    @Nested
    class Transactions {

        @Test
        void laterOperationsReferToNodesCreatedEarlierByKey() {
            long existing = createNode("{\"labels\":[\"Person\"],\"properties\":{\"name\":\"Eve\"}}");
            JsonNode result = expect(http.post("/api/transactions", "{\"operations\":["
                    + "{\"op\":\"createNode\",\"key\":\"ann\",\"labels\":[\"Person\"],\"properties\":{\"name\":\"Ann\"}},"
                    + "{\"op\":\"createNode\",\"key\":\"bob\",\"labels\":[\"Person\"]},"
                    + "{\"op\":\"createRelationship\",\"key\":\"k\",\"type\":\"KNOWS\",\"from\":\"ann\",\"to\":\"bob\","
                    + "\"properties\":{\"since\":2019}},"
                    + "{\"op\":\"createRelationship\",\"type\":\"KNOWS\",\"from\":\"bob\",\"to\":" + existing + "},"
                    + "{\"op\":\"updateNode\",\"node\":\"bob\",\"properties\":{\"name\":\"Bob\"},\"addLabels\":[\"Admin\"]}"
                    + "]}"), 200);
            long ann = result.get("nodes").get("ann").asLong();
            long bob = result.get("nodes").get("bob").asLong();
            long k = result.get("relationships").get("k").asLong();
            assertThat(result.get("lsn").asLong()).isEqualTo(db.wal().appendedLsn());
            assertThat(result.get("results").valueStream().map(r -> r.get("op").asString()))
                    .containsExactly("createNode", "createNode", "createRelationship", "createRelationship",
                            "updateNode");
            assertThat(result.get("results").get(4).get("id").asLong()).isEqualTo(bob);

            assertThat(expect(http.get("/api/nodes/" + bob), 200).toString()).isEqualTo("{\"id\":" + bob
                    + ",\"labels\":[\"Admin\",\"Person\"],\"properties\":{\"name\":\"Bob\"}}");
            JsonNode knows = expect(http.get("/api/relationships/" + k), 200);
            assertThat(knows.get("from").asLong()).isEqualTo(ann);
            assertThat(knows.get("to").asLong()).isEqualTo(bob);
            assertThat(expect(http.get("/api/nodes/" + existing + "/relationships?direction=IN"), 200).get(0)
                    .get("from").asLong()).isEqualTo(bob);
        }

        @Test
        void everyDeleteOperationWorksByIdAndByKey() {
            long a = createNode("{}");
            long b = createNode("{}");
            long r = createRelationship("R", a, b);
            JsonNode result = expect(http.post("/api/transactions", "{\"operations\":["
                    + "{\"op\":\"createNode\",\"key\":\"c\"},"
                    + "{\"op\":\"createRelationship\",\"key\":\"cr\",\"type\":\"R\",\"from\":\"c\",\"to\":" + a + "},"
                    + "{\"op\":\"deleteRelationship\",\"relationship\":\"cr\"},"
                    + "{\"op\":\"deleteRelationship\",\"relationship\":" + r + "},"
                    + "{\"op\":\"deleteNode\",\"node\":\"c\"},"
                    + "{\"op\":\"deleteNode\",\"node\":" + b + ",\"detach\":false},"
                    + "{\"op\":\"createRelationship\",\"type\":\"R\",\"from\":" + a + ",\"to\":" + a + "},"
                    + "{\"op\":\"deleteNode\",\"node\":" + a + ",\"detach\":true}"
                    + "]}"), 200);
            long c = result.get("nodes").get("c").asLong();
            for (long node : new long[] {a, b, c}) {
                problem(http.get("/api/nodes/" + node), 404, "does not exist");
            }
            problem(http.get("/api/relationships/" + r), 404, "does not exist");
            problem(http.get("/api/relationships/" + result.get("relationships").get("cr").asLong()), 404,
                    "does not exist");
        }

        @Test
        void aRefusedOperationAppliesNothingAndNamesItsIndex() {
            long count = nodeCount();
            long lsn = db.wal().appendedLsn();
            JsonNode problem = problem(http.post("/api/transactions", "{\"operations\":["
                    + "{\"op\":\"createNode\",\"key\":\"a\"},"
                    + "{\"op\":\"updateNode\",\"node\":987654,\"properties\":{\"x\":1}}]}"), 404,
                    "Operation 1 (updateNode): Node 987654 does not exist", "Nothing was applied");
            assertThat(problem.get("operation").asInt()).isEqualTo(1);
            assertThat(nodeCount()).isEqualTo(count);
            assertThat(db.wal().appendedLsn()).isEqualTo(lsn);
        }

        @Test
        void aConflictIs409AndAppliesNothing() {
            long a = createNode("{}");
            long b = createNode("{}");
            createRelationship("R", a, b);
            long count = nodeCount();
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\"},"
                    + "{\"op\":\"deleteNode\",\"node\":" + a + "}]}"), 409, "Operation 1 (deleteNode)",
                    "still has 1 relationship");
            assertThat(nodeCount()).isEqualTo(count);
        }

        @Test
        void badKeysAreRefusedNamingTheField() {
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\",\"key\":\"a\"},"
                    + "{\"op\":\"createRelationship\",\"type\":\"R\",\"from\":\"a\",\"to\":\"nope\"}]}"), 400,
                    "Operation 1 (createRelationship): Field 'operations[1].to' names key 'nope', which no earlier "
                            + "operation of this request created");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\",\"key\":\"a\"},"
                    + "{\"op\":\"createNode\",\"key\":\"a\"}]}"), 400,
                    "Field 'operations[1].key' 'a' is already used");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\",\"key\":\"a\"},"
                    + "{\"op\":\"createRelationship\",\"key\":\"r\",\"type\":\"R\",\"from\":\"a\",\"to\":\"a\"},"
                    + "{\"op\":\"deleteNode\",\"node\":\"r\"}]}"), 400,
                    "Field 'operations[2].node' names key 'r', which belongs to a relationship, not a node");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"deleteNode\",\"node\":true}]}"), 400,
                    "Field 'operations[0].node' must be an id (a number) or the key");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"deleteNode\"}]}"), 400,
                    "Field 'operations[0].node' is required");
        }

        @Test
        void badOperationListsAreRefused() {
            problem(http.post("/api/transactions", "{\"operations\":[]}"), 400,
                    "Field 'operations' must hold at least one operation");
            problem(http.post("/api/transactions", "{}"), 400, "Field 'operations' must hold at least one operation");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\"},{\"op\":\"merge\"}]}"),
                    400, "Field 'operations[1].op' must be one of createNode, updateNode, deleteNode, "
                            + "createRelationship, deleteRelationship");
            problem(http.post("/api/transactions", "{\"operations\":[{\"labels\":[]}]}"), 400,
                    "Field 'operations[0].op' must be one of");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\",\"lables\":[]}]}"), 400,
                    "Field 'operations[0].lables' is not part of this request");
            problem(http.post("/api/transactions", "{\"operations\":[null]}"), 400, "Field 'operations[0]' is null");
        }
    }

    @Nested
    class RequestErrors {

        @Test
        void malformedJsonIs400SayingWhere() {
            problem(http.post("/api/nodes", "{\"labels\":[\"Person\""), 400, "Malformed JSON at line 1, column");
            problem(http.post("/api/nodes", "{\"labels\": nope}"), 400, "Malformed JSON at line 1, column 12");
        }

        @Test
        void aWrongTypeIs400NamingTheField() {
            problem(http.post("/api/nodes", "{\"labels\":[1]}"), 400, "Field 'labels[0]' must be a string");
            problem(http.post("/api/nodes", "{\"labels\":\"Person\"}"), 400, "Field 'labels' must be a list");
            problem(http.post("/api/nodes", "{\"properties\":[1]}"), 400, "Field 'properties' must be an object");
            problem(http.post("/api/relationships", "{\"type\":\"T\",\"from\":\"1\",\"to\":2}"), 400,
                    "Field 'from' must be an integer");
            problem(http.post("/api/relationships", "{\"type\":\"T\",\"from\":1.5,\"to\":2}"), 400,
                    "Field 'from' must be an integer");
            problem(http.post("/api/relationships", "{\"type\":7,\"from\":1,\"to\":2}"), 400,
                    "Field 'type' must be a string");
            problem(http.patch("/api/nodes/1", "{\"addLabels\":[true]}"), 400, "Field 'addLabels[0]' must be a string");
            problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"deleteNode\",\"node\":1,"
                    + "\"detach\":\"yes\"}]}"), 400, "Field 'operations[0].detach' must be a boolean");
            problem(http.post("/api/nodes", "[]"), 400, "The request body must be a JSON object");
        }

        @Test
        void anUnusablePropertyValueIs400NamingIt() {
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":{\"b\":1}}}"), 400,
                    "Field 'properties.a' must be a boolean, a number, a string, a list");
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":[1,\"x\"]}}"), 400,
                    "Field 'properties.a' mixes numbers and strings");
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":[\"x\",null]}}"), 400,
                    "Field 'properties.a[1]' is null");
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":123456789012345678901234567890}}"), 400,
                    "Field 'properties.a' is 123456789012345678901234567890, beyond the 64-bit integer range");
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":[1.5,1e400]}}"), 400,
                    "Field 'properties.a[1]' is beyond the range of a 64-bit decimal");
            problem(http.post("/api/nodes", "{\"properties\":{\"a\":{\"$base64\":\"!!\"}}}"), 400,
                    "Field 'properties.a.$base64' is not valid base64");
            problem(http.post("/api/nodes", "{\"labels\":[\"\"]}"), 400, "Field 'labels[0]' must be a non-empty string");
            problem(http.post("/api/nodes", "{\"labels\":[null]}"), 400, "Field 'labels[0]' must be a non-empty string");
        }

        @Test
        void anUnknownFieldIs400NamingIt() {
            problem(http.post("/api/nodes", "{\"label\":[\"Person\"]}"), 400,
                    "Field 'label' is not part of this request; the fields here are labels, properties");
        }

        @Test
        void aNonNumericIdIs400() {
            problem(http.get("/api/nodes/abc"), 400, "Path variable 'id' is 'abc' but must be an integer");
            problem(http.delete("/api/nodes/1?detach=maybe"), 400,
                    "Query parameter 'detach' is 'maybe' but must be true or false");
        }

        @Test
        void aMissingBodyIs400() {
            problem(http.send("POST", "/api/nodes", ""), 400, "The request body is missing");
        }
    }

    @Nested
    class Actuator {

        @Test
        void theConfiguredEndpointsAreExposedAndWalAndGraphAcceptWrites() {
            createNode("{\"labels\":[\"Seen\"]}");
            JsonNode wal = expect(http.get("/actuator/wal"), 200);
            assertThat(wal.get("syncMode").asString()).isEqualTo("per-commit");
            assertThat(wal.get("poisoned").asBoolean()).isFalse();
            assertThat(wal.get("durableLsn").asLong()).isEqualTo(wal.get("appendedLsn").asLong());

            long flushed = expect(http.post("/actuator/wal", null), 200).get("durableLsn").asLong();
            assertThat(flushed).isEqualTo(db.wal().appendedLsn());
            JsonNode checkpoint = expect(http.post("/actuator/graph", null), 200);
            assertThat(checkpoint.get("lsn").asLong()).isEqualTo(flushed);
            assertThat(checkpoint.get("bytes").asLong()).isPositive();
            assertThat(expect(http.get("/actuator/graph"), 200).get("labels").has("Seen")).isTrue();

            JsonNode health = expect(http.get("/actuator/health"), 200);
            assertThat(health.get("status").asString()).isEqualTo("UP");
            assertThat(health.get("components").get("wal").get("status").asString()).isEqualTo("UP");
            expect(http.get("/actuator/info"), 200);
            assertThat(expect(http.get("/actuator/metrics"), 200).get("names").toString())
                    .contains("\"graphwal.wal.appends\"", "\"graphwal.graph.nodes\"");
            Http.Response prometheus = http.get("/actuator/prometheus");
            assertThat(prometheus.status()).isEqualTo(200);
            assertThat(prometheus.body()).contains("graphwal_wal_appends", "graphwal_graph_nodes");
        }
    }
}
