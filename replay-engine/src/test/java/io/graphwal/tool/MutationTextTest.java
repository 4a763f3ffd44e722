package io.graphwal.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.graphwal.graph.Mutation;
import org.junit.jupiter.api.Test;

/** Each mutation reads as one unambiguous line, whatever names and values it carries. */
class MutationTextTest {

    @Test
    void everyKindOfMutationHasItsOwnWording() {
        assertThat(List.of(
                new Mutation.CreateNode(1, List.of(), Map.of()),
                new Mutation.CreateRelationship(2, "R", 1, 3, Map.of()),
                new Mutation.SetNodeProperty(1, "k", 7L),
                new Mutation.RemoveNodeProperty(1, "k"),
                new Mutation.AddLabel(1, "L"),
                new Mutation.RemoveLabel(1, "L"),
                new Mutation.SetRelationshipProperty(2, "w", 0.25),
                new Mutation.RemoveRelationshipProperty(2, "w"),
                new Mutation.DeleteRelationship(2),
                new Mutation.DeleteNode(1),
                new Mutation.DetachDeleteNode(3),
                new Mutation.CreateIndex("L", "k"),
                new Mutation.DropIndex("L", "k")).stream().map(MutationText::format)).containsExactly(
                        "create node 1",
                        "create relationship 2 (1)-[:R]->(3)",
                        "set node 1 property k = 7",
                        "remove node 1 property k",
                        "add label :L to node 1",
                        "remove label :L from node 1",
                        "set relationship 2 property w = 0.25",
                        "remove relationship 2 property w",
                        "delete relationship 2",
                        "delete node 1",
                        "detach delete node 3",
                        "create index on :L(k)",
                        "drop index on :L(k)");
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreQuoted() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("first name", "Ann");
        properties.put("x:y", 1L);

        assertThat(MutationText.format(new Mutation.CreateNode(4, List.of("Big Co", "Person"), properties)))
                .isEqualTo("create node 4 :\"Big Co\":Person {\"first name\": \"Ann\", \"x:y\": 1}");
    }

    @Test
    void stringsAreQuotedWithEscapesSoEveryMutationStaysOnOneLine() {
        assertThat(MutationText.value("a \"b\" \\ c\nd\te\u0001")).isEqualTo("\"a \\\"b\\\" \\\\ c\\nd\\te\\u0001\"");
    }

    @Test
    void listsShowTheirElementsAndLongByteArraysAreCutWithTheirLength() {
        byte[] longBytes = new byte[40];
        longBytes[0] = (byte) 0xAB;

        assertThat(MutationText.value(List.of(true, false))).isEqualTo("[true, false]");
        assertThat(MutationText.value(List.of(1.5, -2.0))).isEqualTo("[1.5, -2.0]");
        assertThat(MutationText.value(List.of(new byte[] {1}, new byte[] {}))).isEqualTo("[0x01, 0x]");
        assertThat(MutationText.value(longBytes)).isEqualTo("0xab" + "00".repeat(31) + "... (40 bytes)");
        assertThat(MutationText.value(List.of())).isEqualTo("[]");
    }
}
