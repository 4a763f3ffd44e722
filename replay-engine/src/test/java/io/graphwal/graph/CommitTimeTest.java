package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Each logged transaction carries its commit time; logs written before commit times existed still decode.
 */
class CommitTimeTest {

    /** A clock that returns the instants it was given, in order. */
    private static final class ScriptedClock extends Clock {
        private final Deque<Instant> instants = new ArrayDeque<>();

        ScriptedClock(Instant... script) {
            instants.addAll(List.of(script));
        }

        @Override
        public Instant instant() {
            return instants.removeFirst();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void transactionsCarryTheirCommitTimeAndItNeverGoesBackWithinAProcess() {
        Instant first = Instant.parse("2026-12-02T10:00:00.123456789Z");
        ScriptedClock clock = new ScriptedClock(first, first.minusSeconds(5), first.plusSeconds(1));
        MemoryTransactionLog log = new MemoryTransactionLog(false, true);
        Graph graph = new Graph(new GraphStore(), log, clock);
        for (int i = 0; i < 3; i++) {
            graph.commit(tx -> tx.createNode(List.of("N"), Map.of()));
        }
        long micros = first.getEpochSecond() * 1_000_000 + 123_456;
        assertThat(log.records()).extracting(r -> MutationCodec.commitTimeMicros(ByteBuffer.wrap(r)))
                .containsExactly(micros, micros, micros + 1_000_000);
    }

    @Test
    void aVersionOnePayloadStillDecodesWithAnUnknownCommitTime() {
        byte[] current = MutationCodec.encode(42, List.of(new Mutation.DeleteNode(7)));
        // Version 1 is the same without the 8-byte time after the version byte.
        byte[] old = new byte[current.length - 8];
        old[0] = 1;
        System.arraycopy(current, 9, old, 1, current.length - 9);
        assertThat(MutationCodec.decode(ByteBuffer.wrap(old))).containsExactly(new Mutation.DeleteNode(7));
        assertThat(MutationCodec.commitTimeMicros(ByteBuffer.wrap(old))).isEqualTo(MutationCodec.UNKNOWN_COMMIT_TIME);
        assertThat(MutationCodec.commitTimeMicros(ByteBuffer.wrap(current))).isEqualTo(42);
        GraphStore store = new GraphStore();
        store.apply(1, ByteBuffer.wrap(MutationCodec.encode(List.of(new Mutation.CreateNode(0, List.of(), Map.of())))));
        store.apply(2, ByteBuffer.wrap(deleteNodeZeroV1()));
        assertThat(store.appliedLsn()).isEqualTo(2);
    }

    private static byte[] deleteNodeZeroV1() {
        byte[] current = MutationCodec.encode(List.of(new Mutation.DeleteNode(0)));
        byte[] old = new byte[current.length - 8];
        old[0] = 1;
        System.arraycopy(current, 9, old, 1, current.length - 9);
        return old;
    }

    @Test
    void anUnknownVersionIsRefusedNamingBoth() {
        byte[] payload = MutationCodec.encode(1, List.of(new Mutation.DeleteNode(0)));
        payload[0] = 3;
        assertThatThrownBy(() -> MutationCodec.decode(ByteBuffer.wrap(payload)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("version 3")
                .hasMessageContaining("1 and 2");
    }
}
