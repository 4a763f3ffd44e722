package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property values survive the trip graph → JSON text → graph unchanged, for every kind of value the graph
 * holds, generated from logged seeds (a failure names its seed, so it can be replayed).
 */
class PropertyValuesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
    void everyGraphValueRoundTripsThroughJsonText(long seed) {
        Random random = new Random(seed);
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            properties.put("p" + i, value(random));
        }
        String text = JSON.writeValueAsString(PropertyValues.toJson(properties));
        Map<String, Object> parsed = JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
        Map<String, Object> back = PropertyValues.fromJson(parsed, "properties");

        assertThat(back.keySet()).as("seed %d", seed).containsExactlyElementsOf(properties.keySet());
        properties.forEach((key, expected) -> assertThat(back.get(key)).as("seed %d, %s in %s", seed, key, text)
                .usingRecursiveComparison().isEqualTo(expected));
    }

    @Test
    void aNullValueStaysNullForTheCallerToInterpret() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("gone", null);
        assertThat(PropertyValues.fromJson(json, "properties")).containsEntry("gone", null);
    }

    @Test
    void anObjectWithMoreThanTheBase64KeyIsRefused() {
        assertThatThrownBy(() -> PropertyValues.fromJson((Object) Map.of("$base64", "AA==", "x", 1), "properties.a"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Field 'properties.a' must be a boolean, a number, a string");
    }

    private static Object value(Random random) {
        List<Supplier<Object>> kinds = List.of(
                random::nextBoolean,
                random::nextLong,
                () -> (long) random.nextInt(1000),
                () -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) * (random.nextBoolean() ? 1 : -1),
                () -> text(random),
                () -> bytes(random));
        Supplier<Object> kind = kinds.get(random.nextInt(kinds.size()));
        if (random.nextInt(3) > 0) {
            return kind.get();
        }
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4) + 1; i > 0; i--) {
            list.add(kind.get());
        }
        return list;
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            // Whole code points only: the graph refuses lone surrogates.
            int codePoint = random.nextInt(4) == 0 ? 0x1F600 + random.nextInt(50) : 0x20 + random.nextInt(0x3000);
            if (Character.isSurrogate((char) codePoint)) {
                codePoint = 'x';
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static byte[] bytes(Random random) {
        byte[] bytes = new byte[random.nextInt(10)];
        random.nextBytes(bytes);
        return bytes;
    }
}
