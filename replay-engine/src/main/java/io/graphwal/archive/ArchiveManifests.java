package io.graphwal.archive;

import java.util.Map;

/**
 * The two manifests of an archive: {@code graph.manifest}, naming the one graph the archive holds, and each
 * timeline's {@code timeline.manifest}, naming its graph, its number, the token of the directory that writes
 * it and where it forked from. Both use {@link ManifestText}.
 */
final class ArchiveManifests {

    static final String GRAPH_KIND = "graphwal-archive";
    static final String TIMELINE_KIND = "graphwal-timeline";

    private ArchiveManifests() {
    }

    /** The graph id of a {@code graph.manifest}. */
    static String graphId(byte[] manifest) {
        Map<String, String> fields = ManifestText.decode(manifest, GRAPH_KIND, 1, ArchiveCatalog.MANIFEST);
        return ManifestText.required(fields, "graph", ArchiveCatalog.MANIFEST);
    }

    /**
     * The token of a timeline manifest, after checking that it belongs to {@code graphId} and is timeline
     * {@code timeline}.
     */
    static String timelineToken(byte[] manifest, String name, String graphId, long timeline) {
        Map<String, String> fields = ManifestText.decode(manifest, TIMELINE_KIND, 1, name);
        String graph = ManifestText.required(fields, "graph", name);
        if (!graph.equals(graphId)) {
            throw new ArchiveCorruptException(name, "it belongs to graph " + graph + ", not " + graphId);
        }
        if (ManifestText.number(fields, "timeline", name) != timeline) {
            throw new ArchiveCorruptException(name, "it names timeline " + fields.get("timeline") + ", not "
                    + timeline);
        }
        return ManifestText.required(fields, "token", name);
    }
}
