package io.graphwal.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.graphwal.graph.MalformedDataException;
import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.wal.WalConfig;

/**
 * Turns a record of the change-feed topic back into the transaction it was published from, in either format:
 * a value whose first byte is <code>{</code> is a JSON event (version 1), any other is the binary WAL payload,
 * whose first byte is the codec's format version. The rule needs no setting, so a replica follows a topic
 * whatever {@code graphwal.kafka.format} the leader published it with, even one that changed format midway.
 *
 * <p>Everything is checked against the record's {@code lsn} header, which is the one LSN the replica orders
 * by: a JSON event naming another LSN or graph than the record is refused. What arrives is bounded by the
 * consumer's fetch settings ({@code max.partition.fetch.bytes}); a value no log could hold is refused before it
 * is parsed, and the transaction decoded must still fit the replica's {@code graphwal.wal.max-record-size},
 * which its log checks before writing.
 */
final class ChangeEventDecoder {

    /** The largest value read: the largest record any write-ahead log can be configured to hold. */
    static final int MAX_VALUE_BYTES = WalConfig.MAX_RECORD_SIZE_LIMIT;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChangeEventDecoder() {
    }

    /** A record that cannot be read as a GraphWAL change event; the message says which and why. */
    static final class BadEventException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BadEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The LSN in the record's {@code lsn} header. */
    static long lsn(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaChangePublisher.LSN_HEADER);
        if (header == null || header.value() == null) {
            throw bad(record, "has no '" + KafkaChangePublisher.LSN_HEADER + "' header", null);
        }
        String text = new String(header.value(), StandardCharsets.US_ASCII);
        try {
            long lsn = Long.parseLong(text);
            if (lsn < 1) {
                throw bad(record, "has LSN " + lsn + " in its header; LSNs start at 1", null);
            }
            return lsn;
        } catch (NumberFormatException e) {
            throw bad(record, "has '" + text + "' in its '" + KafkaChangePublisher.LSN_HEADER + "' header instead "
                    + "of a decimal LSN", e);
        }
    }

    /** Decodes a record whose key was already checked to be the graph's id. */
    static CommittedTransaction decode(ConsumerRecord<String, byte[]> record, String graphId) {
        long lsn = lsn(record);
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw bad(record, "has no value", null);
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw bad(record, "has a value of " + value.length + " bytes, more than the " + MAX_VALUE_BYTES
                    + " a transaction can take", null);
        }
        if (value[0] == '{') {
            return json(record, lsn, value, graphId);
        }
        try {
            ByteBuffer payload = ByteBuffer.wrap(value);
            long micros = MutationCodec.commitTimeMicros(payload.duplicate());
            List<Mutation> mutations = MutationCodec.decode(payload);
            Instant at = micros == MutationCodec.UNKNOWN_COMMIT_TIME ? null
                    : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
            return new CommittedTransaction(lsn, at, mutations);
        } catch (MalformedDataException | IllegalArgumentException e) {
            throw bad(record, "is neither a JSON event nor a binary WAL payload that decodes: " + e.getMessage(), e);
        }
    }

    private static CommittedTransaction json(ConsumerRecord<String, byte[]> record, long lsn, byte[] value,
            String graphId) {
        try {
            JsonNode event = JSON.readTree(value);
            int version = required(event, "version").asInt();
            if (version != JsonChangeEvents.VERSION) {
                throw new IllegalArgumentException("its schema version is " + version + "; this replica reads "
                        + "version " + JsonChangeEvents.VERSION + " (upgrade the replica to read it)");
            }
            String eventGraph = required(event, "graphId").asString();
            if (!graphId.equals(eventGraph)) {
                throw new IllegalArgumentException("its graphId is '" + eventGraph + "', not '" + graphId + "'");
            }
            long eventLsn = required(event, "lsn").asLong();
            if (eventLsn != lsn) {
                throw new IllegalArgumentException("its lsn is " + eventLsn + " but its header says " + lsn);
            }
            JsonNode committed = event.get("committedAt");
            Instant at = committed == null || committed.isNull() ? null : Instant.parse(committed.asString());
            JsonNode list = required(event, "mutations");
            if (!list.isArray()) {
                throw new IllegalArgumentException("'mutations' is not an array");
            }
            List<Mutation> mutations = new ArrayList<>(list.size());
            for (JsonNode mutation : list) {
                mutations.add(mutation(mutation));
            }
            return new CommittedTransaction(lsn, at, mutations);
        } catch (JacksonException | IllegalArgumentException | DateTimeParseException e) {
            throw bad(record, "is not a valid JSON change event: " + e.getMessage(), e);
        }
    }

    private static Mutation mutation(JsonNode m) {
        String op = required(m, "op").asString();
        switch (op) {
            case "createNode": {
                List<String> labels = new ArrayList<>();
                for (JsonNode label : required(m, "labels")) {
                    labels.add(text(label, "a label"));
                }
                return new Mutation.CreateNode(id(m, "id"), labels, properties(m.get("properties")));
            }
            case "createRelationship":
                return new Mutation.CreateRelationship(id(m, "id"), text(required(m, "type"), "type"),
                        id(m, "start"), id(m, "end"), properties(m.get("properties")));
            case "setNodeProperty":
                return new Mutation.SetNodeProperty(id(m, "node"), key(m), value(required(m, "value")));
            case "removeNodeProperty":
                return new Mutation.RemoveNodeProperty(id(m, "node"), key(m));
            case "addLabel":
                return new Mutation.AddLabel(id(m, "node"), text(required(m, "label"), "label"));
            case "removeLabel":
                return new Mutation.RemoveLabel(id(m, "node"), text(required(m, "label"), "label"));
            case "setRelationshipProperty":
                return new Mutation.SetRelationshipProperty(id(m, "relationship"), key(m),
                        value(required(m, "value")));
            case "removeRelationshipProperty":
                return new Mutation.RemoveRelationshipProperty(id(m, "relationship"), key(m));
            case "deleteRelationship":
                return new Mutation.DeleteRelationship(id(m, "relationship"));
            case "deleteNode":
                return new Mutation.DeleteNode(id(m, "node"));
            case "detachDeleteNode":
                return new Mutation.DetachDeleteNode(id(m, "node"));
            case "createIndex":
                return new Mutation.CreateIndex(text(required(m, "label"), "label"), key(m));
            case "dropIndex":
                return new Mutation.DropIndex(text(required(m, "label"), "label"), key(m));
            default:
                throw new IllegalArgumentException("unknown op '" + op + "'");
        }
    }

    private static Map<String, Object> properties(JsonNode properties) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (properties == null || properties.isNull()) {
            return map;
        }
        if (!properties.isObject()) {
            throw new IllegalArgumentException("'properties' is not an object");
        }
        for (Map.Entry<String, JsonNode> entry : properties.properties()) {
            map.put(entry.getKey(), value(entry.getValue()));
        }
        return map;
    }

    private static Object value(JsonNode tagged) {
        String type = text(required(tagged, "type"), "a value's type");
        JsonNode value = required(tagged, "value");
        if (type.endsWith("[]")) {
            if (!value.isArray()) {
                throw new IllegalArgumentException("a " + type + " value is not an array");
            }
            String element = type.substring(0, type.length() - 2);
            List<Object> list = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                list.add(scalar(element, item));
            }
            return List.copyOf(list);
        }
        return scalar(type, value);
    }

    private static Object scalar(String type, JsonNode value) {
        switch (type) {
            case "boolean":
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("a boolean value is " + value);
                }
                return value.asBoolean();
            case "long":
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException("a long value is " + value);
                }
                return value.asLong();
            case "double":
                if (value.isString()) {
                    switch (value.asString()) {
                        case "NaN":
                            return Double.NaN;
                        case "Infinity":
                            return Double.POSITIVE_INFINITY;
                        case "-Infinity":
                            return Double.NEGATIVE_INFINITY;
                        default:
                            throw new IllegalArgumentException("a double value is " + value);
                    }
                }
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("a double value is " + value);
                }
                return value.asDouble();
            case "string":
                return text(value, "a string value");
            case "bytes":
                return Base64.getDecoder().decode(text(value, "a bytes value"));
            default:
                throw new IllegalArgumentException("unknown value type '" + type + "'");
        }
    }

    private static long id(JsonNode m, String field) {
        JsonNode id = required(m, field);
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' is not a 64-bit integer: " + id);
        }
        return id.asLong();
    }

    private static String key(JsonNode m) {
        return text(required(m, "key"), "key");
    }

    private static String text(JsonNode node, String what) {
        if (!node.isString()) {
            throw new IllegalArgumentException(what + " is not a string: " + node);
        }
        return node.asString();
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node == null || !node.isObject() ? null : node.get(field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    private static BadEventException bad(ConsumerRecord<String, byte[]> record, String problem, Throwable cause) {
        return new BadEventException("The record at offset " + record.offset() + " of topic '" + record.topic()
                + "' " + problem, cause);
    }
}
