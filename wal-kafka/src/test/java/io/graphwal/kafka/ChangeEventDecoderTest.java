package io.graphwal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import io.graphwal.graph.Mutation;
import io.graphwal.graph.MutationCodec;
import io.graphwal.replay.CommittedTransaction;

/** A record of either format decodes to the transaction it was published from; a bad one is named and refused. */
class ChangeEventDecoderTest {

    private static final String GRAPH = "6f1c1f0e-6f55-4a0b-9a43-1d1b5f2a7c11";
    private static final Instant AT = Instant.parse("2026-12-02T18:40:00.123456Z");
    private static final List<Mutation> MUTATIONS = List.of(
            new Mutation.CreateNode(7, List.of("Person"), Map.of("name", "Ada", "born", 1815L)),
            new Mutation.CreateRelationship(3, "KNOWS", 7, 7, Map.of("weight", Double.NaN)),
            new Mutation.SetNodeProperty(7, "tags", List.of("a", "b")),
            new Mutation.RemoveNodeProperty(7, "born"),
            new Mutation.AddLabel(7, "Tag"),
            new Mutation.DeleteRelationship(3),
            new Mutation.CreateIndex("Person", "name"));

    private static ConsumerRecord<String, byte[]> record(String lsn, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("changes", 0, 12, GRAPH, value);
        if (lsn != null) {
            record.headers().add(new RecordHeader("lsn", lsn.getBytes(StandardCharsets.US_ASCII)));
        }
        return record;
    }

    @Test
    void bothFormatsDecodeToTheSameTransaction() {
        CommittedTransaction transaction = new CommittedTransaction(42, AT, MUTATIONS);
        CommittedTransaction fromJson = ChangeEventDecoder.decode(
                record("42", JsonChangeEvents.encode(GRAPH, transaction)), GRAPH);
        CommittedTransaction fromBinary = ChangeEventDecoder.decode(
                record("42", MutationCodec.encode(1_796_236_800_123_456L, MUTATIONS)), GRAPH);
        assertThat(fromJson.lsn()).isEqualTo(42);
        assertThat(fromJson.committedAt()).isEqualTo(AT);
        assertThat(fromBinary.committedAt()).isEqualTo(Instant.ofEpochSecond(1_796_236_800L, 123_456_000));
        assertThat(MutationCodec.encode(fromJson.mutations())).isEqualTo(MutationCodec.encode(MUTATIONS));
        assertThat(MutationCodec.encode(fromBinary.mutations())).isEqualTo(MutationCodec.encode(MUTATIONS));
    }

    @Test
    void aBadRecordIsRefusedNamingItsOffsetAndWhatIsWrong() {
        byte[] json = JsonChangeEvents.encode(GRAPH, new CommittedTransaction(5, AT, MUTATIONS));
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record(null, json), GRAPH))
                .hasMessageContaining("offset 12").hasMessageContaining("no 'lsn' header");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("five", json), GRAPH))
                .hasMessageContaining("'five'");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("6", json), GRAPH))
                .hasMessageContaining("its lsn is 5 but its header says 6");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("5", json), "another"))
                .hasMessageContaining("its graphId is '" + GRAPH + "'");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("5",
                "{\"version\":2}".getBytes(StandardCharsets.UTF_8)), GRAPH)).hasMessageContaining("version is 2");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("5", "{\"version\":1,".getBytes(
                StandardCharsets.UTF_8)), GRAPH)).hasMessageContaining("not a valid JSON change event");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("5", new byte[] {2, 0, 1}), GRAPH))
                .hasMessageContaining("neither a JSON event nor a binary WAL payload");
        assertThatThrownBy(() -> ChangeEventDecoder.decode(record("5", new byte[0]), GRAPH))
                .hasMessageContaining("has no value");
    }
}
