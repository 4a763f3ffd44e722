package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A consumer written only from the JSON schema in the replication page of the docs (Jackson and the JDK, no
 * GraphWAL class) rebuilds from the topic exactly the graph the leader holds.
 */
class JsonSchemaConsumerTest {

    @RegisterExtension
    static final TestBroker broker = new TestBroker();

    @TempDir
    Path dir;

    @Test
    void aConsumerOfTheDocumentedSchemaRebuildsTheLeadersGraph() {
        String brokers = broker.servers();
        Workload workload = new Workload(5);
        String leader;
        long last;
        try (GraphDatabase db = GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(dir.resolve("graph")).build()));
                KafkaChangePublisher publisher = new KafkaChangePublisher(db,
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), "changes-json",
                        ChangeEventFormat.JSON)) {
            publisher.start();
            workload.commit(db, 400);
            long durable = db.wal().flush();
            Await.until("LSN " + durable + " is published", () -> publisher.status().publishedLsn() == durable);
            last = durable;
            leader = db.read(workload::dump);
        }
        SchemaOnlyConsumer consumer = new SchemaOnlyConsumer();
        for (ConsumerRecord<String, byte[]> record : Topics.readThrough(brokers, "changes-json", last)) {
            consumer.apply(record.key(), record.value());
        }
        assertThat(consumer.dump()).isEqualTo(leader);
    }

    /** Everything below follows the schema as documented, and nothing else. */
    static final class SchemaOnlyConsumer {

        private record Node(Set<String> labels, Map<String, String> properties) {
        }

        private record Relationship(String type, long start, long end, Map<String, String> properties) {
        }

        private final JsonMapper json = JsonMapper.builder().build();
        private final Map<Long, Node> nodes = new TreeMap<>();
        private final Map<Long, Relationship> relationships = new TreeMap<>();
        private final Set<String> indexes = new TreeSet<>();
        private long lastLsn;

        void apply(String key, byte[] value) {
            JsonNode event = json.readTree(value);
            assertThat(event.get("version").asInt()).isEqualTo(1);
            assertThat(event.get("graphId").asString()).isEqualTo(key);
            long lsn = event.get("lsn").asLong();
            assertThat(lsn).isEqualTo(lastLsn + 1);
            lastLsn = lsn;
            Instant.parse(event.get("committedAt").asString());
            for (JsonNode m : event.get("mutations")) {
                switch (m.get("op").asString()) {
                    case "createNode" -> {
                        Set<String> labels = new LinkedHashSet<>();
                        m.get("labels").forEach(label -> labels.add(label.asString()));
                        nodes.put(m.get("id").asLong(), new Node(labels, properties(m.get("properties"))));
                    }
                    case "createRelationship" -> relationships.put(m.get("id").asLong(), new Relationship(
                            m.get("type").asString(), m.get("start").asLong(), m.get("end").asLong(),
                            properties(m.get("properties"))));
                    case "setNodeProperty" -> node(m).properties().put(m.get("key").asString(), typed(m.get("value")));
                    case "removeNodeProperty" -> node(m).properties().remove(m.get("key").asString());
                    case "addLabel" -> node(m).labels().add(m.get("label").asString());
                    case "removeLabel" -> node(m).labels().remove(m.get("label").asString());
                    case "setRelationshipProperty" -> relationship(m).properties().put(m.get("key").asString(),
                            typed(m.get("value")));
                    case "removeRelationshipProperty" -> relationship(m).properties().remove(m.get("key").asString());
                    case "deleteRelationship" -> relationships.remove(m.get("relationship").asLong());
                    case "deleteNode" -> nodes.remove(m.get("node").asLong());
                    case "detachDeleteNode" -> {
                        long node = m.get("node").asLong();
                        relationships.values().removeIf(r -> r.start() == node || r.end() == node);
                        nodes.remove(node);
                    }
                    case "createIndex" -> indexes.add(m.get("label").asString() + "." + m.get("key").asString());
                    case "dropIndex" -> indexes.remove(m.get("label").asString() + "." + m.get("key").asString());
                    default -> throw new AssertionError("an op the schema does not document: " + m);
                }
            }
        }

        private Node node(JsonNode mutation) {
            return nodes.get(mutation.get("node").asLong());
        }

        private Relationship relationship(JsonNode mutation) {
            return relationships.get(mutation.get("relationship").asLong());
        }

        private static Map<String, String> properties(JsonNode properties) {
            Map<String, String> result = new HashMap<>();
            properties.properties().forEach(entry -> result.put(entry.getKey(), typed(entry.getValue())));
            return result;
        }

        /** {@code type:text}, as the test's dump writes values. */
        private static String typed(JsonNode value) {
            String type = value.get("type").asString();
            JsonNode v = value.get("value");
            if (type.endsWith("[]")) {
                String element = type.substring(0, type.length() - 2);
                List<String> items = new ArrayList<>();
                v.forEach(item -> items.add(text(element, item)));
                return type + ":" + items;
            }
            return type + ":" + text(type, v);
        }

        private static String text(String type, JsonNode v) {
            return switch (type) {
                case "boolean" -> String.valueOf(v.asBoolean());
                case "long" -> String.valueOf(v.asLong());
                case "double" -> v.isString() ? String.valueOf(Double.parseDouble(v.asString()))
                        : String.valueOf(v.asDouble());
                case "string", "bytes" -> v.asString();
                default -> throw new AssertionError("a value type the schema does not document: " + type);
            };
        }

        String dump() {
            StringBuilder out = new StringBuilder();
            nodes.forEach((id, node) -> out.append("node ").append(id).append(' ').append(new TreeSet<>(node.labels()))
                    .append(' ').append(new TreeMap<>(node.properties())).append('\n'));
            relationships.forEach((id, rel) -> out.append("rel ").append(id).append(' ').append(rel.type()).append(' ')
                    .append(rel.start()).append("->").append(rel.end()).append(' ')
                    .append(new TreeMap<>(rel.properties())).append('\n'));
            indexes.forEach(index -> out.append("index ").append(index).append('\n'));
            return out.toString();
        }
    }
}
