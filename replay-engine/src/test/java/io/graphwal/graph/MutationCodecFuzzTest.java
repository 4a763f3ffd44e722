package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the transaction decoder, the WAL payload format. Any bytes either decode or are refused with a
 * {@link MalformedDataException}; any other exception, a hang or an out-of-memory is a finding. What decodes
 * must encode to bytes that decode to the same encoding again (compared as bytes, so that NaN, which is not
 * equal to itself, and arrays, which have no value equality, compare as what they are).
 *
 * <p>{@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/graph/MutationCodecFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see
 * docs/reliability.md, section Fuzzing).
 */
class MutationCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void anyPayloadDecodesOrIsRefusedAsMalformed(byte[] payload) {
        List<Mutation> decoded;
        try {
            decoded = MutationCodec.decode(ByteBuffer.wrap(payload));
        } catch (MalformedDataException refused) {
            return;
        }
        byte[] encoded = MutationCodec.encode(decoded);
        List<Mutation> again = MutationCodec.decode(ByteBuffer.wrap(encoded));
        // Plain checks rather than AssertJ: Jazzer instruments every class the fuzz test loads.
        if (again.size() != decoded.size() || !Arrays.equals(MutationCodec.encode(again), encoded)) {
            throw new AssertionError("re-encoding changed the transaction: " + decoded + " became " + again);
        }
    }
}
