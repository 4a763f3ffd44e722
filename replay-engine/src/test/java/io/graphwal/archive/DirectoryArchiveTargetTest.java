package io.graphwal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The directory target stores whole objects under their names and never shows a partial one. */
class DirectoryArchiveTargetTest {

    @TempDir
    Path dir;

    private static ArchiveTarget.ObjectContent text(String value) {
        return ArchiveTarget.ObjectContent.of(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(ArchiveTarget target, String name) throws IOException {
        try (InputStream in = target.get(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void storesListsReadsAndDeletes() throws IOException {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(dir.resolve("archive"));
        assertThat(target.list("")).isEmpty();
        target.put("timelines/0000000001/log/b", text("bee"));
        target.put("timelines/0000000001/log/a", text("a"));
        target.put("graph.manifest", text("m"));
        assertThat(target.list("timelines/")).extracting(ArchiveTarget.StoredObject::name)
                .containsExactly("timelines/0000000001/log/a", "timelines/0000000001/log/b");
        assertThat(target.list("")).extracting(ArchiveTarget.StoredObject::size).containsExactly(1L, 1L, 3L);
        assertThat(read(target, "timelines/0000000001/log/b")).isEqualTo("bee");
        target.put("timelines/0000000001/log/b", text("bee"));
        target.delete("timelines/0000000001/log/b");
        target.delete("timelines/0000000001/log/b");
        assertThatThrownBy(() -> target.get("timelines/0000000001/log/b")).isInstanceOf(NoSuchFileException.class);
        assertThat(target.describe()).startsWith("file:");
    }

    @Test
    void contentShorterThanItsLengthLeavesNoObject() throws IOException {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(dir);
        ArchiveTarget.ObjectContent lying = content(10, () -> new ByteArrayInputStream(new byte[3]));
        assertThatThrownBy(() -> target.put("x/object", lying)).isInstanceOf(IOException.class)
                .hasMessageContaining("x/object");
        assertThat(target.list("")).isEmpty();
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    /** Content that claims {@code length} bytes and yields whatever {@code stream} opens. */
    private static ArchiveTarget.ObjectContent content(long length, java.util.function.Supplier<InputStream> stream) {
        return new ArchiveTarget.ObjectContent() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public InputStream open() {
                return stream.get();
            }
        };
    }

    /** A stream that hands out at most {@code piece} bytes per read, as a network or sequence stream may. */
    private static InputStream inPieces(byte[] bytes, int piece) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void objectsOfEverySizeAroundABlockArriveWholeFromAStreamThatComesInPieces(boolean direct) throws IOException {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(dir, direct);
        int align = DirectoryArchiveTarget.DIRECT_ALIGNMENT;
        int block = DirectoryArchiveTarget.WRITE_BLOCK;
        int[] sizes = {0, 1, align - 1, align, align + 1, block - 1, block, block + 1, 2 * block + 333};
        java.util.Random random = new java.util.Random(17);
        for (int size : sizes) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            int head = Math.min(37, size);
            ArchiveTarget.ObjectContent pieces = content(bytes.length, () -> new java.io.SequenceInputStream(
                    inPieces(java.util.Arrays.copyOf(bytes, head), 37),
                    inPieces(java.util.Arrays.copyOfRange(bytes, head, bytes.length), 8191)));
            String name = "x/object-" + size;
            target.put(name, pieces);
            try (InputStream in = target.get(name)) {
                assertThat(in.readAllBytes()).as("object of %d bytes", size).isEqualTo(bytes);
            }
            assertThat(Files.size(dir.resolve(name))).isEqualTo(size);
        }
        if (direct && !target.writesDirectly()) {
            LoggerFactory.getLogger(DirectoryArchiveTargetTest.class).warn("the file system of {} refuses direct "
                    + "writes, so only the fallback through the page cache was tested", dir);
        }
        assumeTrue(!direct || target.writesDirectly(), "direct writes are not supported where the test runs");
    }

    @Test
    void contentLongerThanItsLengthLeavesNoObject() throws IOException {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(dir);
        ArchiveTarget.ObjectContent lying = content(3, () -> new ByteArrayInputStream(new byte[10]));
        assertThatThrownBy(() -> target.put("x/object", lying)).isInstanceOf(IOException.class)
                .hasMessageContaining("x/object").hasMessageContaining("10 bytes instead of 3");
        assertThat(target.list("")).isEmpty();
    }

    @Test
    void refusesNamesThatLeaveTheDirectory() {
        DirectoryArchiveTarget target = new DirectoryArchiveTarget(dir);
        for (String name : new String[] {"../escape", "/absolute", "a//b", "a/./b", "sp ace", ".hidden", ""}) {
            assertThatThrownBy(() -> target.put(name, text("x"))).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void locationsOpenTheRightTargetAndUnknownSchemesAreNamed() throws IOException {
        assertThat(ArchiveTargets.open("file:" + dir, Map.of()).describe()).isEqualTo("file:" + dir);
        assertThat(ArchiveTargets.open(dir.toString(), Map.of()).describe()).isEqualTo("file:" + dir);
        assertThatThrownBy(() -> ArchiveTargets.open("gopher://host/x", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gopher'")
                .hasMessageContaining("known: file");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://bucket/prefix", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wal-archive-s3");
    }
}
