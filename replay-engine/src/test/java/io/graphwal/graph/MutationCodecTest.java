package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transaction codec: every mutation and every value type survives encoding and decoding exactly, and
 * damaged input of any kind fails with {@link MalformedDataException}, never another exception and never a
 * large allocation.
 */
class MutationCodecTest {

    /** No decode of these small payloads may allocate more than this, whatever counts and lengths it claims. */
    private static final long ALLOCATION_LIMIT = 1 << 20;

    private static final double ODD_NAN = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);

    /** One value of every type, with the edge cases of each. */
    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("true", true),
                Arguments.of("false", false),
                Arguments.of("zero", 0L),
                Arguments.of("one", 1L),
                Arguments.of("minus one", -1L),
                Arguments.of("largest one-byte zig-zag", 63L),
                Arguments.of("smallest two-byte zig-zag", 64L),
                Arguments.of("smallest negative one-byte zig-zag", -64L),
                Arguments.of("largest negative two-byte zig-zag", -65L),
                Arguments.of("long min", Long.MIN_VALUE),
                Arguments.of("long max", Long.MAX_VALUE),
                Arguments.of("zero point zero", 0.0),
                Arguments.of("negative zero", -0.0),
                Arguments.of("NaN", Double.NaN),
                Arguments.of("NaN with a payload", ODD_NAN),
                Arguments.of("positive infinity", Double.POSITIVE_INFINITY),
                Arguments.of("negative infinity", Double.NEGATIVE_INFINITY),
                Arguments.of("smallest subnormal", Double.MIN_VALUE),
                Arguments.of("double max", Double.MAX_VALUE),
                Arguments.of("a fraction", -1234.5678),
                Arguments.of("empty string", ""),
                Arguments.of("ascii string", "Ann"),
                Arguments.of("latin string", "Grüße, Ærøskøbing"),
                Arguments.of("cjk string", "日本語のテキスト"),
                Arguments.of("string with supplementary characters", "rocket 🚀 and 𝄞"),
                Arguments.of("string with a NUL", "a\u0000b"),
                Arguments.of("long string", "x".repeat(10_000)),
                Arguments.of("empty bytes", new byte[0]),
                Arguments.of("bytes", new byte[] {0, 1, -1, 127, -128}),
                Arguments.of("many bytes", bytes(5_000)),
                Arguments.of("empty list", List.of()),
                Arguments.of("list of booleans", List.of(true, false, true)),
                Arguments.of("list of longs", List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 300L)),
                Arguments.of("list of doubles", List.of(0.0, -0.0, Double.NaN, ODD_NAN, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY, 1.5)),
                Arguments.of("list of strings", List.of("", "a", "Grüße", "🚀")),
                Arguments.of("list of byte arrays", List.of(new byte[0], new byte[] {1, 2, 3}, bytes(300))),
                Arguments.of("one-element lists", List.of("only")));
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void everyValueTypeSurvivesAsANodePropertyARelationshipPropertyAndInPropertyMaps(String name, Object value) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("before", 1L);
        properties.put("value", value);
        properties.put("after", "end");
        List<Mutation> transaction = List.of(
                new Mutation.SetNodeProperty(7, "value", value),
                new Mutation.SetRelationshipProperty(9, "value", value),
                new Mutation.CreateNode(11, List.of("L"), properties),
                new Mutation.CreateRelationship(12, "T", 11, 7, properties));

        List<Mutation> decoded = roundTrip(transaction);

        assertThat(decoded).hasSize(4);
        assertExactlyEqual(((Mutation.SetNodeProperty) decoded.get(0)).value(), value);
        assertExactlyEqual(((Mutation.SetRelationshipProperty) decoded.get(1)).value(), value);
        Map<String, Object> nodeProperties = ((Mutation.CreateNode) decoded.get(2)).properties();
        assertThat(nodeProperties).containsOnlyKeys("before", "value", "after");
        assertExactlyEqual(nodeProperties.get("value"), value);
        Map<String, Object> relationshipProperties = ((Mutation.CreateRelationship) decoded.get(3)).properties();
        assertExactlyEqual(relationshipProperties.get("value"), value);
        assertThat(normalised(decoded)).isEqualTo(normalised(transaction));
    }

    /** Same type, same content; doubles bit for bit, so NaN payloads and the sign of zero count. */
    private static void assertExactlyEqual(Object actual, Object expected) {
        if (expected instanceof List<?> list) {
            assertThat(actual).isInstanceOf(List.class);
            List<?> actualList = (List<?>) actual;
            assertThat(actualList).hasSameSizeAs(list);
            for (int i = 0; i < list.size(); i++) {
                assertExactlyEqual(actualList.get(i), list.get(i));
            }
        } else if (expected instanceof byte[] bytes) {
            assertThat(actual).isInstanceOf(byte[].class);
            assertThat((byte[]) actual).containsExactly(bytes);
        } else if (expected instanceof Double d) {
            assertThat(actual).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) actual)).as("bits of %s", d)
                    .isEqualTo(Double.doubleToRawLongBits(d));
        } else {
            assertThat(actual).isInstanceOf(expected.getClass()).isEqualTo(expected);
        }
    }

    @Test
    void everyMutationTypeSurvivesARoundTrip() {
        List<Mutation> transaction = everyMutation();
        Set<Class<?>> covered = transaction.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(covered).as("the sample holds every kind of mutation")
                .containsExactlyInAnyOrder(Mutation.class.getPermittedSubclasses());

        List<Mutation> decoded = roundTrip(transaction);

        assertThat(normalised(decoded)).isEqualTo(normalised(transaction));
        for (int i = 0; i < transaction.size(); i++) {
            assertThat(decoded.get(i)).isInstanceOf(transaction.get(i).getClass());
        }
    }

    @Test
    void eachMutationTypeSurvivesARoundTripOnItsOwn() {
        for (Mutation mutation : everyMutation()) {
            assertThat(normalised(roundTrip(List.of(mutation)))).as("%s", mutation)
                    .isEqualTo(normalised(List.of(mutation)));
        }
    }

    @Test
    void idsAtTheEndsOfTheRangeSurvive() {
        List<Mutation> transaction = List.of(
                new Mutation.CreateNode(Long.MAX_VALUE, List.of(), Map.of()),
                new Mutation.CreateRelationship(0, "T", Long.MAX_VALUE, 0, Map.of()),
                new Mutation.DeleteNode(127),
                new Mutation.DeleteNode(128),
                new Mutation.DeleteRelationship((1L << 56) + 3));
        assertThat(roundTrip(transaction)).isEqualTo(transaction);
    }

    @Test
    void anEmptyTransactionDecodesToNoMutations() {
        assertThat(roundTrip(List.of())).isEmpty();
    }

    @Test
    void decodingReadsFromThePositionToTheLimitAndLeavesThePositionAtTheLimit() {
        byte[] payload = MutationCodec.encode(everyMutation());
        byte[] framed = new byte[payload.length + 20];
        Arrays.fill(framed, (byte) 0x55);
        System.arraycopy(payload, 0, framed, 10, payload.length);
        ByteBuffer buffer = ByteBuffer.wrap(framed, 10, payload.length);

        List<Mutation> decoded = MutationCodec.decode(buffer);

        assertThat(normalised(decoded)).isEqualTo(normalised(everyMutation()));
        assertThat(buffer.position()).isEqualTo(10 + payload.length);
    }

    @Test
    void everyTruncationOfAValidPayloadIsMalformed() {
        byte[] payload = MutationCodec.encode(everyMutation());
        for (int length = 0; length < payload.length; length++) {
            byte[] truncated = Arrays.copyOf(payload, length);
            Throwable thrown = catchThrowable(() -> decodeWithinAllocationLimit(truncated));
            assertThat(thrown).as("the first %d of %d bytes", length, payload.length)
                    .isInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void trailingBytesAfterTheLastMutationAreMalformed() {
        byte[] payload = MutationCodec.encode(List.of(new Mutation.DeleteNode(3)));
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);
        assertThatThrownBy(() -> MutationCodec.decode(ByteBuffer.wrap(longer)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("unexpected bytes");
    }

    /** Hand-made payloads, each damaged in one specific way. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("nothing at all", ""),
                Arguments.of("format version 0", "00 00"),
                Arguments.of("format version 2", "02 00"),
                Arguments.of("unknown opcode 0", "01 01 00 00"),
                Arguments.of("unknown opcode 14", "01 01 0e 00"),
                Arguments.of("unknown opcode 255", "01 01 ff 00"),
                Arguments.of("mutation count beyond the bytes left", "01 05 0a 01"),
                Arguments.of("mutation count of 2^31", "01 80 80 80 80 08 0a 01"),
                Arguments.of("mutation count that overflows a long", "01 ff ff ff ff ff ff ff ff ff 01"),
                Arguments.of("varint longer than ten bytes", "01 01 0a ff ff ff ff ff ff ff ff ff ff 01"),
                Arguments.of("varint whose tenth byte overflows 64 bits", "01 01 0a ff ff ff ff ff ff ff ff ff 7f"),
                Arguments.of("label count beyond the bytes left", "01 01 01 00 7f 01 41 00"),
                Arguments.of("label count of 2^40", "01 01 01 00 80 80 80 80 80 20 00"),
                Arguments.of("string length beyond the bytes left", "01 01 05 03 09 41 42"),
                Arguments.of("string length of 2^31", "01 01 05 03 80 80 80 80 08 41"),
                Arguments.of("string length that is negative as a long", "01 01 05 03 ff ff ff ff ff ff ff ff ff 01"),
                Arguments.of("property count beyond the bytes left", "01 01 01 00 00 40 01 6b 02"),
                Arguments.of("property count of 2^31", "01 01 01 00 00 80 80 80 80 08 01 6b 02"),
                Arguments.of("unknown value tag 0", "01 01 03 00 01 6b 00"),
                Arguments.of("unknown value tag 12", "01 01 03 00 01 6b 0c"),
                Arguments.of("unknown value tag 255", "01 01 03 00 01 6b ff"),
                Arguments.of("value tag with nothing after it", "01 01 03 00 01 6b"),
                Arguments.of("double cut short", "01 01 03 00 01 6b 04 00 00 00 00 00 00 f0"),
                Arguments.of("byte array length beyond the bytes left", "01 01 03 00 01 6b 06 10 01 02"),
                Arguments.of("byte array length of 2^40", "01 01 03 00 01 6b 06 80 80 80 80 80 20 01"),
                Arguments.of("list length beyond the bytes left", "01 01 03 00 01 6b 08 7f 02"),
                Arguments.of("list length of 2^31", "01 01 03 00 01 6b 08 80 80 80 80 08 02"),
                Arguments.of("list of byte arrays claiming 2^30 bytes", "01 01 03 00 01 6b 0b 01 80 80 80 80 04 00"),
                Arguments.of("boolean list element that is neither 0 nor 1", "01 01 03 00 01 6b 07 02 01 02"),
                Arguments.of("the same property key twice", "01 01 01 00 00 02 01 6b 01 01 6b 02"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void damagedPayloadsAreMalformedWithoutLargeAllocations(String name, String hex) {
        byte[] payload = HexFormat.ofDelimiter(" ").parseHex(hex);
        Throwable thrown = catchThrowable(() -> decodeWithinAllocationLimit(payload));
        assertThat(thrown).isInstanceOf(MalformedDataException.class);
        assertThat(thrown.getMessage()).isNotBlank();
    }

    @Test
    void theHandMadePayloadsAreValidBeforeTheyAreDamaged() {
        // Guards the table above: the undamaged forms it was derived from decode to what they should.
        assertThat(decodeHex("01 01 0a 01")).containsExactly(new Mutation.DeleteNode(1));
        assertThat(decodeHex("01 01 05 03 02 41 42")).containsExactly(new Mutation.AddLabel(3, "AB"));
        assertThat(normalised(decodeHex("01 01 03 00 01 6b 06 02 01 02"))).isEqualTo(
                normalised(List.of(new Mutation.SetNodeProperty(0, "k", new byte[] {1, 2}))));
        assertThat(decodeHex("01 01 03 00 01 6b 07 02 01 00"))
                .containsExactly(new Mutation.SetNodeProperty(0, "k", List.of(true, false)));
        assertThat(decodeHex("01 01 01 00 00 02 01 6b 01 01 6c 02")).containsExactly(
                new Mutation.CreateNode(0, List.of(), Map.of("k", false, "l", true)));
        assertThat(decodeHex("01 01 03 00 01 6b 04 00 00 00 00 00 00 f0 3f"))
                .containsExactly(new Mutation.SetNodeProperty(0, "k", 1.0));
    }

    @Test
    void randomlyDamagedPayloadsDecodeOrAreMalformedButNeverFailOtherwise() {
        long seed = LoggedGraph.seed("MutationCodecTest.randomlyDamagedPayloads");
        Random random = new Random(seed);
        byte[] valid = MutationCodec.encode(everyMutation());
        int malformed = 0;
        int rounds = LoggedGraph.scaled(5_000);
        for (int round = 0; round < rounds; round++) {
            byte[] damaged = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(damaged.length);
                damaged[at] = random.nextBoolean() ? (byte) (damaged[at] ^ (1 << random.nextInt(8)))
                        : (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length + 1));
            }
            byte[] input = damaged;
            Throwable thrown = catchThrowable(() -> decodeWithinAllocationLimit(input));
            if (thrown != null) {
                expectMalformed(thrown, "seed " + seed + ", round " + round, input);
                malformed++;
            }
        }
        assertThat(malformed).as("most damage is detected").isGreaterThan(rounds / 2);
    }

    @Test
    void randomBytesDecodeOrAreMalformedButNeverFailOtherwise() {
        long seed = LoggedGraph.seed("MutationCodecTest.randomBytes");
        Random random = new Random(seed);
        for (int round = 0, rounds = LoggedGraph.scaled(5_000); round < rounds; round++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = MutationCodec.VERSION; // get past the version check to the interesting parts
            }
            Throwable thrown = catchThrowable(() -> decodeWithinAllocationLimit(garbage));
            if (thrown != null) {
                expectMalformed(thrown, "seed " + seed + ", round " + round, garbage);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Fails unless {@code thrown} is a MalformedDataException (checked cheaply: loops call this a lot). */
    private static void expectMalformed(Throwable thrown, String context, byte[] input) {
        if (!(thrown instanceof MalformedDataException)) {
            throw new AssertionError(context + ": decoding " + HexFormat.of().formatHex(input) + " threw " + thrown
                    + " instead of MalformedDataException", thrown);
        }
    }

    /** One of each mutation, with values of several types. */
    private static List<Mutation> everyMutation() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", "Zoë");
        properties.put("age", 41L);
        properties.put("score", -0.5);
        properties.put("photo", new byte[] {9, 8, 7});
        properties.put("tags", List.of("a", "ü"));
        properties.put("none", List.of());
        return List.of(
                new Mutation.CreateNode(0, List.of("Person", "Employee"), properties),
                new Mutation.CreateNode(1, List.of(), Map.of()),
                new Mutation.CreateRelationship(0, "KNOWS", 0, 1, properties),
                new Mutation.CreateRelationship(1, "SELF", 1, 1, Map.of()),
                new Mutation.SetNodeProperty(1, "flags", List.of(true, false)),
                new Mutation.RemoveNodeProperty(0, "age"),
                new Mutation.AddLabel(1, "Robot"),
                new Mutation.RemoveLabel(0, "Employee"),
                new Mutation.SetRelationshipProperty(0, "weights", List.of(1.0, Double.NaN)),
                new Mutation.RemoveRelationshipProperty(0, "name"),
                new Mutation.CreateIndex("Person", "name"),
                new Mutation.DropIndex("Person", "name"),
                new Mutation.DeleteRelationship(1),
                new Mutation.DetachDeleteNode(1),
                new Mutation.DeleteNode(0));
    }

    private static List<Mutation> roundTrip(List<Mutation> mutations) {
        return MutationCodec.decode(ByteBuffer.wrap(MutationCodec.encode(mutations)));
    }

    private static List<Mutation> decodeHex(String hex) {
        return MutationCodec.decode(ByteBuffer.wrap(HexFormat.ofDelimiter(" ").parseHex(hex)));
    }

    /** Mutations with their values made comparable by content, as a string per mutation. */
    private static List<String> normalised(List<Mutation> mutations) {
        List<String> result = new ArrayList<>();
        for (Mutation mutation : mutations) {
            String text;
            if (mutation instanceof Mutation.CreateNode m) {
                text = "CreateNode " + m.id() + " " + m.labels() + " " + comparable(m.properties());
            } else if (mutation instanceof Mutation.CreateRelationship m) {
                text = "CreateRelationship " + m.id() + " " + m.type() + " " + m.startNode() + " " + m.endNode() + " "
                        + comparable(m.properties());
            } else if (mutation instanceof Mutation.SetNodeProperty m) {
                text = "SetNodeProperty " + m.node() + " " + m.key() + " " + comparable(m.value());
            } else if (mutation instanceof Mutation.SetRelationshipProperty m) {
                text = "SetRelationshipProperty " + m.relationship() + " " + m.key() + " " + comparable(m.value());
            } else {
                text = mutation.toString();
            }
            result.add(text);
        }
        return result;
    }

    /** A map in encounter order with byte arrays by content and doubles by bits. */
    private static String comparable(Map<String, Object> properties) {
        StringBuilder text = new StringBuilder("{");
        properties.forEach((key, value) -> text.append(key).append('=').append(comparable(value)).append(';'));
        return text.append('}').toString();
    }

    private static String comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bytes:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Double d) {
            return "double:" + Long.toHexString(Double.doubleToRawLongBits(d));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(MutationCodecTest::comparable).collect(Collectors.joining(",", "[", "]"));
        }
        return value.getClass().getSimpleName() + ":" + value;
    }

    /** Per-thread allocation counters where the JVM offers them (HotSpot does), else null. */
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                    && threads.isThreadAllocatedMemorySupported() ? threads : null;

    @Test
    void theAllocationGuardNoticesALargeAllocation() {
        Assumptions.assumeTrue(THREADS != null, "this JVM does not count allocations per thread");
        assertThatThrownBy(() -> withinAllocationLimit(() -> new byte[(int) ALLOCATION_LIMIT].length))
                .isInstanceOf(AssertionError.class).hasMessageContaining("allocated");
    }

    /** Decodes, failing the test if the decode allocated more than a small fixed amount on this thread. */
    private static List<Mutation> decodeWithinAllocationLimit(byte[] payload) {
        return withinAllocationLimit(() -> MutationCodec.decode(ByteBuffer.wrap(payload)));
    }

    private static <T> T withinAllocationLimit(java.util.function.Supplier<T> work) {
        if (THREADS == null) {
            return work.get(); // a huge allocation still fails, as an OutOfMemoryError instead of the expected one
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            return work.get();
        } finally {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated >= ALLOCATION_LIMIT) {
                throw new AssertionError("the work allocated " + allocated + " bytes");
            }
        }
    }
}
