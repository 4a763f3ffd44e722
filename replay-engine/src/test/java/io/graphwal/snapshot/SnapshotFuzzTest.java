package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.graphwal.graph.StoreImage;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.GraphSnapshots;

/**
 * Fuzzes snapshot reading: the file's header and block framing, and the store image inside valid framing
 * (random bytes almost never pass a block checksum, so the body decoder gets inputs of its own). A snapshot
 * either loads or is refused with a {@link SnapshotCorruptException} naming the file; any other exception, a
 * hang or an out-of-memory is a finding.
 *
 * <p>{@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/snapshot/SnapshotFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SnapshotFuzzTest {

    private static final long LSN = 7;

    @FuzzTest(maxDuration = "10m")
    void anySnapshotFileLoadsOrIsRefusedAsCorrupt(FuzzedDataProvider data) throws IOException {
        boolean validHeader = data.consumeBoolean();
        byte[] rest = data.consumeRemainingAsBytes();
        Path dir = Files.createTempDirectory("graphwal-fuzz");
        try {
            Path file = dir.resolve(SnapshotFiles.fileName(LSN));
            if (validHeader) {
                ByteBuffer header = SnapshotFiles.header(LSN);
                byte[] bytes = new byte[header.remaining() + rest.length];
                header.get(bytes, 0, header.remaining());
                System.arraycopy(rest, 0, bytes, bytes.length - rest.length, rest.length);
                Files.write(file, bytes);
            } else {
                Files.write(file, rest);
            }
            loadOrRefuse(file);
        } finally {
            deleteAll(dir);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void anyStoreImageInValidFramingLoadsOrIsRefusedAsCorrupt(byte[] body) throws IOException {
        Path dir = Files.createTempDirectory("graphwal-fuzz");
        try {
            SnapshotFiles.Written written = SnapshotFiles.write(FileIO.standard(), dir, LSN, out -> {
                for (byte b : body) {
                    out.writeByte(b);
                }
            });
            loadOrRefuse(written.path());
        } finally {
            deleteAll(dir);
        }
    }

    private static void loadOrRefuse(Path file) throws IOException {
        try {
            GraphSnapshots.read(FileIO.standard(), file);
        } catch (SnapshotCorruptException refused) {
            if (!refused.getMessage().contains(file.getFileName().toString())) {
                throw new AssertionError("the refusal does not name the file: " + refused.getMessage(), refused);
            }
        }
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
