package io.graphwal.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.graphwal.io.FileIO;

/**
 * Fuzzes what a restore decodes from an archive: the manifests, and a whole log or snapshot object. Any
 * bytes are either used or refused with an {@link ArchiveException} naming the object; any other exception,
 * a hang or an out-of-memory is a finding, and a refused restore leaves no directory behind.
 *
 * <p>{@code mvn verify} replays the saved inputs under
 * {@code src/test/resources/io/graphwal/archive/ArchiveFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ArchiveFuzzTest {

    static final String GRAPH = "6f1c2a4e-3b7d-4c59-9a1e-2d8f0b7c5e31";

    @FuzzTest(maxDuration = "10m")
    void anyManifestDecodesOrIsRefusedAsCorrupt(byte[] bytes) {
        try {
            ArchiveManifests.graphId(bytes);
        } catch (ArchiveCorruptException refused) {
            // expected for most inputs
        }
        try {
            ArchiveManifests.timelineToken(bytes, "timelines/0000000001/timeline.manifest", GRAPH, 1);
        } catch (ArchiveCorruptException refused) {
            // expected for most inputs
        }
    }

    @FuzzTest(maxDuration = "10m")
    void anyLogObjectRestoresOrIsRefusedNamingIt(byte[] object) throws IOException {
        restore("timelines/0000000001/log/00000000000000000001-00000000000000000002_0-0.segment", object);
    }

    @FuzzTest(maxDuration = "10m")
    void anySnapshotObjectRestoresOrIsRefusedNamingIt(byte[] object) throws IOException {
        restore("timelines/0000000001/snapshots/00000000000000000002_0.snap", object);
    }

    /**
     * Plants {@code object} in an archive and restores it. An object whose header decodes is stored under
     * the name and beside the manifest its header asks for, so inputs reach the body checks; others go under
     * {@code name}.
     */
    private static void restore(String name, byte[] object) throws IOException {
        MemoryArchiveTarget target = new MemoryArchiveTarget();
        String graph = GRAPH;
        if (object.length >= ArchiveFormat.HEADER_SIZE) {
            try {
                ArchiveFormat.Header header = ArchiveFormat.decodeHeader(
                        java.util.Arrays.copyOf(object, ArchiveFormat.HEADER_SIZE), name);
                graph = header.graphId();
                name = header.kind() == ArchiveFormat.KIND_LOG
                        ? ArchiveCatalog.logName(header.timeline(), header.firstLsn(), header.lastLsn(),
                                header.earliestMicros(), header.latestMicros(), true)
                        : ArchiveCatalog.snapshotName(header.timeline(), header.firstLsn(), header.earliestMicros());
            } catch (ArchiveCorruptException | IllegalArgumentException refused) {
                // planted under the fixed name, to be refused there
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("graph", graph);
        target.plant(ArchiveCatalog.MANIFEST, ManifestText.encode(ArchiveManifests.GRAPH_KIND, 1, fields));
        target.plant(name, object);
        Path scratch = Files.createTempDirectory("graphwal-archive-fuzz");
        Path directory = scratch.resolve("restored");
        try {
            ArchiveRestore.restore(target, FileIO.standard(), directory, ArchiveRestore.Point.newest());
        } catch (ArchiveException refused) {
            if (Files.exists(directory)) {
                throw new AssertionError("a refused restore left " + directory + " behind");
            }
        } finally {
            try (Stream<Path> paths = Files.walk(scratch)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
