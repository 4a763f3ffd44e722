package io.graphwal.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.CommittedTransaction;

/**
 * Fuzzes what a replica decodes from the change-feed topic: a record's {@code lsn} header and its value, as a
 * JSON event or as a binary WAL payload. Any record either decodes or is refused with a
 * {@link ChangeEventDecoder.BadEventException}; any other exception, a hang or an out-of-memory is a finding.
 * What decodes carries the header's LSN, and its mutations survive the replica's own log: encoded as a WAL
 * payload they decode to the same payload again, so the replica logs exactly what it applies. A transaction
 * built from the fuzzer's bytes, published in either format, decodes to the same mutations and commit time.
 *
 * <p>Mutations are compared as their WAL payload bytes, so that NaN (not equal to itself) and byte arrays (no
 * value equality) compare as what they are. {@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/kafka/ChangeEventDecoderFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes
 * (see docs/reliability.md, section Fuzzing).
 */
class ChangeEventDecoderFuzzTest {

    private static final String GRAPH = "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11";

    @FuzzTest(maxDuration = "10m")
    void anyJsonEventDecodesOrIsRefusedAsBad(byte[] input) {
        decodeOrRefuse(record(input, true));
    }

    @FuzzTest(maxDuration = "10m")
    void anyBinaryEventDecodesOrIsRefusedAsBad(byte[] input) {
        decodeOrRefuse(record(input, false));
    }

    @FuzzTest(maxDuration = "10m")
    void aTransactionDecodesToTheSameMutationsFromEitherFormat(FuzzedDataProvider data) {
        long lsn = data.consumeLong(1, Long.MAX_VALUE);
        long micros = data.consumeBoolean() ? MutationCodec.UNKNOWN_COMMIT_TIME : data.consumeLong();
        Instant at = micros == MutationCodec.UNKNOWN_COMMIT_TIME ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        List<Mutation> mutations = new ArrayList<>();
        for (int i = data.consumeInt(0, 8); i > 0 && data.remainingBytes() > 0; i--) {
            mutations.add(mutation(data));
        }
        byte[] expected = MutationCodec.encode(mutations);
        CommittedTransaction json = ChangeEventDecoder.decode(record(lsn,
                JsonChangeEvents.encode(GRAPH, new CommittedTransaction(lsn, at, mutations))), GRAPH);
        CommittedTransaction binary = ChangeEventDecoder.decode(record(lsn, MutationCodec.encode(micros, mutations)),
                GRAPH);
        for (CommittedTransaction decoded : List.of(json, binary)) {
            String format = decoded == json ? "JSON" : "binary";
            if (decoded.lsn() != lsn || !Objects.equals(decoded.committedAt(), at)) {
                throw new AssertionError("the " + format + " event of LSN " + lsn + " at " + at + " decoded as LSN "
                        + decoded.lsn() + " at " + decoded.committedAt());
            }
            if (!Arrays.equals(MutationCodec.encode(decoded.mutations()), expected)) {
                throw new AssertionError("the " + format + " event of " + mutations + " decoded as "
                        + decoded.mutations());
            }
        }
    }

    /** Decodes, and checks what decodes against the header and against a trip through the replica's log. */
    private static void decodeOrRefuse(ConsumerRecord<String, byte[]> record) {
        CommittedTransaction decoded;
        try {
            decoded = ChangeEventDecoder.decode(record, GRAPH);
        } catch (ChangeEventDecoder.BadEventException refused) {
            return;
        }
        // Plain checks rather than AssertJ: Jazzer instruments every class the fuzz test loads.
        long header = Long.parseLong(new String(record.headers().lastHeader("lsn").value(), StandardCharsets.US_ASCII));
        if (decoded.lsn() != header) {
            throw new AssertionError("decoded LSN " + decoded.lsn() + " from a record whose header says " + header);
        }
        byte[] logged = MutationCodec.encode(decoded.mutations());
        List<Mutation> replayed = MutationCodec.decode(ByteBuffer.wrap(logged));
        if (!Arrays.equals(MutationCodec.encode(replayed), logged)) {
            throw new AssertionError("the decoded transaction " + decoded.mutations() + " is not what the "
                    + "replica's log gives back: " + replayed);
        }
        CommittedTransaction again = ChangeEventDecoder.decode(record(decoded.lsn(),
                JsonChangeEvents.encode(GRAPH, decoded)), GRAPH);
        if (!Objects.equals(again.committedAt(), decoded.committedAt())
                || !Arrays.equals(MutationCodec.encode(again.mutations()), logged)) {
            throw new AssertionError("republishing " + decoded.mutations() + " at " + decoded.committedAt()
                    + " as JSON gave " + again.mutations() + " at " + again.committedAt());
        }
    }

    /**
     * A record from an input in the corpus files' readable form: the bytes before the first newline are the
     * {@code lsn} headers, comma-separated ({@code null} for a header without a value; no newline, no header),
     * and the bytes after it are the value. For JSON, a value that does not open with a brace gets one.
     */
    private static ConsumerRecord<String, byte[]> record(byte[] input, boolean json) {
        int newline = 0;
        while (newline < input.length && input[newline] != '\n') {
            newline++;
        }
        List<byte[]> headers = new ArrayList<>();
        byte[] value = input;
        if (newline < input.length) {
            for (String header : new String(input, 0, newline, StandardCharsets.ISO_8859_1).split(",", -1)) {
                headers.add(header.equals("null") ? null : header.getBytes(StandardCharsets.ISO_8859_1));
            }
            value = Arrays.copyOfRange(input, newline + 1, input.length);
        }
        if (json && (value.length == 0 || value[0] != '{')) {
            byte[] braced = new byte[value.length + 1];
            braced[0] = '{';
            System.arraycopy(value, 0, braced, 1, value.length);
            value = braced;
        }
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("changes", 0, 12, GRAPH, value);
        headers.forEach(h -> record.headers().add(new RecordHeader("lsn", h)));
        return record;
    }

    private static ConsumerRecord<String, byte[]> record(long lsn, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("changes", 0, 12, GRAPH, value);
        record.headers().add(new RecordHeader("lsn", Long.toString(lsn).getBytes(StandardCharsets.US_ASCII)));
        return record;
    }

    private static Mutation mutation(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 12)) {
            case 0 -> {
                List<String> labels = new ArrayList<>();
                for (int i = data.consumeInt(0, 3); i > 0; i--) {
                    labels.add(string(data));
                }
                yield new Mutation.CreateNode(data.consumeLong(), labels, properties(data));
            }
            case 1 -> new Mutation.CreateRelationship(data.consumeLong(), string(data), data.consumeLong(),
                    data.consumeLong(), properties(data));
            case 2 -> new Mutation.SetNodeProperty(data.consumeLong(), string(data), value(data));
            case 3 -> new Mutation.RemoveNodeProperty(data.consumeLong(), string(data));
            case 4 -> new Mutation.AddLabel(data.consumeLong(), string(data));
            case 5 -> new Mutation.RemoveLabel(data.consumeLong(), string(data));
            case 6 -> new Mutation.SetRelationshipProperty(data.consumeLong(), string(data), value(data));
            case 7 -> new Mutation.RemoveRelationshipProperty(data.consumeLong(), string(data));
            case 8 -> new Mutation.DeleteRelationship(data.consumeLong());
            case 9 -> new Mutation.DeleteNode(data.consumeLong());
            case 10 -> new Mutation.DetachDeleteNode(data.consumeLong());
            case 11 -> new Mutation.CreateIndex(string(data), string(data));
            default -> new Mutation.DropIndex(string(data), string(data));
        };
    }

    private static Map<String, Object> properties(FuzzedDataProvider data) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            properties.put(string(data), value(data));
        }
        return properties;
    }

    /** A value the graph accepts: a scalar, or a list of one scalar type. */
    private static Object value(FuzzedDataProvider data) {
        int type = data.consumeInt(0, 4);
        if (!data.consumeBoolean()) {
            return scalar(data, type);
        }
        List<Object> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            list.add(scalar(data, type));
        }
        return List.copyOf(list);
    }

    private static Object scalar(FuzzedDataProvider data, int type) {
        return switch (type) {
            case 0 -> data.consumeBoolean();
            case 1 -> data.consumeLong();
            case 2 -> {
                // JSON spells every NaN "NaN", which reads back as the canonical one; the graph compares NaNs
                // as equal, so only the canonical NaN is expected to come back bit for bit.
                double d = data.consumeRegularDouble();
                yield data.consumeInt(0, 7) == 0 ? special(data) : d;
            }
            case 3 -> string(data);
            default -> data.consumeBytes(16);
        };
    }

    private static double special(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            default -> Double.MIN_VALUE;
        };
    }

    /** A string of any well-formed characters: the graph refuses lone surrogates before anything is published. */
    private static String string(FuzzedDataProvider data) {
        String s = data.consumeString(24);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return out.toString();
    }
}
