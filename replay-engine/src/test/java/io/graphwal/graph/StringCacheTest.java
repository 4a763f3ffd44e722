package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The decoder's string cache returns exactly the encoded strings, whatever replaces whatever in its slots. */
class StringCacheTest {

    @Test
    void decodesManyDistinctAndRepeatedStringsExactly() {
        StringCache cache = new StringCache();
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            strings.add(i % 3 == 0 ? "KNOWS" : i % 3 == 1 ? "k" + i : "ünïcødé-" + (i * 7919) + "x".repeat(i % 60));
        }
        for (String expected : strings) {
            byte[] utf8 = expected.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.allocate(utf8.length + 3);
            buffer.put((byte) 9).put(utf8).put((byte) 1).put((byte) 2).flip().position(1);
            assertThat(cache.decode(buffer, utf8.length)).isEqualTo(expected);
            assertThat(buffer.position()).isEqualTo(1 + utf8.length);
        }
    }

    @Test
    void repeatedStringsComeBackAsTheSameInstance() {
        StringCache cache = new StringCache();
        byte[] utf8 = "Person".getBytes(StandardCharsets.UTF_8);
        String first = cache.decode(ByteBuffer.wrap(utf8), utf8.length);
        String second = cache.decode(ByteBuffer.wrap(utf8.clone()), utf8.length);
        assertThat(second).isEqualTo("Person").isSameAs(first);
    }
}
