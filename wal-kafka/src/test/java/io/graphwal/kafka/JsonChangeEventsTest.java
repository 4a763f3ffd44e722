package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.graphwal.graph.Mutation;
import io.graphwal.replay.CommittedTransaction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON event is valid JSON in the documented shape, whatever the strings and values hold. */
class JsonChangeEventsTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void anUnknownCommitTimeIsNullAndEveryCharacterSurvivesEscaping() {
        String awkward = "\"quote\" \\slash\\ \u0000\u001f\u007f line\nfeed \u2028 \ud83d\ude00";
        CommittedTransaction transaction = new CommittedTransaction(9, null, List.of(
                new Mutation.CreateNode(4, List.of(awkward), Map.of(awkward, awkward)),
                new Mutation.SetNodeProperty(4, "n", Long.MIN_VALUE),
                new Mutation.SetNodeProperty(4, "d", Double.NEGATIVE_INFINITY)));
        JsonNode event = json.readTree(JsonChangeEvents.encode("g", transaction));
        assertThat(event.get("version").asInt()).isEqualTo(JsonChangeEvents.VERSION);
        assertThat(event.get("committedAt").isNull()).isTrue();
        JsonNode create = event.get("mutations").get(0);
        assertThat(create.get("labels").get(0).asString()).isEqualTo(awkward);
        assertThat(create.get("properties").get(awkward).get("value").asString()).isEqualTo(awkward);
        JsonNode min = event.get("mutations").get(1).get("value");
        assertThat(min.get("type").asString()).isEqualTo("long");
        assertThat(min.get("value").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(event.get("mutations").get(2).get("value").get("value").asString()).isEqualTo("-Infinity");
    }

    @Test
    void theCommitTimeKeepsItsMicroseconds() {
        Instant at = Instant.parse("2026-12-02T18:40:00.123456Z");
        byte[] encoded = JsonChangeEvents.encode("g", new CommittedTransaction(1, at,
                List.of(new Mutation.DeleteNode(3))));
        assertThat(new String(encoded, StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"graphId\":\"g\",\"lsn\":1,\"committedAt\":\"2026-12-02T18:40:00.123456Z\","
                        + "\"mutations\":[{\"op\":\"deleteNode\",\"node\":3}]}");
    }
}
