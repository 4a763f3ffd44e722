package io.graphwal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Object names parse back to what they say, and plans read each LSN once from the best base. */
class ArchiveCatalogTest {

    private static ArchiveTarget.StoredObject log(long timeline, long first, long last, boolean segment) {
        return new ArchiveTarget.StoredObject(ArchiveCatalog.logName(timeline, first, last, first * 10, last * 10,
                segment), 100);
    }

    private static ArchiveTarget.StoredObject snapshot(long timeline, long lsn) {
        return new ArchiveTarget.StoredObject(ArchiveCatalog.snapshotName(timeline, lsn, lsn * 10), 100);
    }

    @Test
    void namesParseBackToTheirRangesAndTimes() {
        ArchiveCatalog catalog = ArchiveCatalog.parse(List.of(
                new ArchiveTarget.StoredObject(ArchiveCatalog.MANIFEST, 10),
                log(3, 1, 40, true), snapshot(3, 40), log(3, 41, 45, false),
                new ArchiveTarget.StoredObject("timelines/0000000003/log/garbage.segment", 1),
                new ArchiveTarget.StoredObject("stray.txt", 1)));
        assertThat(catalog.hasManifest()).isTrue();
        ArchiveCatalog.Timeline timeline = catalog.timeline(3);
        assertThat(timeline.log()).extracting(ArchiveCatalog.LogObject::firstLsn).containsExactly(1L, 41L);
        assertThat(timeline.log().get(1).segment()).isFalse();
        assertThat(timeline.log().get(1).latestMicros()).isEqualTo(450);
        assertThat(timeline.snapshots().get(0).micros()).isEqualTo(400);
        assertThat(timeline.newestLsn()).isEqualTo(45);
        assertThat(catalog.unrecognised()).containsExactly("timelines/0000000003/log/garbage.segment", "stray.txt");
    }

    @Test
    void aPlanStartsFromTheNewestSnapshotTheLogContinuesAndReadsOverlapsOnce() {
        ArchiveCatalog.Timeline timeline = ArchiveCatalog.parse(List.of(log(1, 1, 50, true), log(1, 30, 60, false),
                log(1, 51, 100, true), log(1, 61, 70, false), snapshot(1, 55), snapshot(1, 120))).timeline(1);
        assertThat(timeline.newestLsn()).isEqualTo(120);
        ArchiveRestore.Plan plan = ArchiveRestore.plan(timeline, new ArchiveRestore.Point(90, null, 0),
                new MemoryArchiveTarget());
        assertThat(plan.base().lsn()).isEqualTo(55);
        assertThat(plan.log()).extracting(ArchiveCatalog.LogObject::firstLsn).containsExactly(51L);
        List<ArchiveCatalog.LogObject> used = new ArrayList<>();
        assertThat(timeline.chain(0, 100, used)).isEqualTo(100);
        assertThat(used).extracting(ArchiveCatalog.LogObject::lastLsn).containsExactly(50L, 100L);
        assertThat(ArchiveRestore.plan(timeline, new ArchiveRestore.Point(120, null, 0), new MemoryArchiveTarget())
                .log()).isEmpty();
    }

    @Test
    void aPointTheArchiveCannotReachNamesWhatIsMissing() {
        ArchiveCatalog.Timeline timeline = ArchiveCatalog.parse(List.of(log(1, 1, 50, true), log(1, 61, 90, true)))
                .timeline(1);
        assertThatThrownBy(() -> ArchiveRestore.plan(timeline, new ArchiveRestore.Point(70, null, 0),
                new MemoryArchiveTarget()))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("reaches only LSN 50").hasMessageContaining("1..50, 61..90");
        ArchiveCatalog.Timeline late = ArchiveCatalog.parse(List.of(log(1, 61, 90, true))).timeline(1);
        assertThatThrownBy(() -> ArchiveRestore.plan(late, new ArchiveRestore.Point(0, null, 0),
                new MemoryArchiveTarget())).isInstanceOf(ArchiveException.class);
    }

    @Test
    void manifestsRefuseEveryFlippedByte() {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("graph", ArchiveFuzzTest.GRAPH);
        byte[] manifest = ManifestText.encode(ArchiveManifests.GRAPH_KIND, 1, fields);
        assertThat(ArchiveManifests.graphId(manifest)).isEqualTo(ArchiveFuzzTest.GRAPH);
        for (int i = 0; i < manifest.length; i++) {
            byte[] damaged = manifest.clone();
            damaged[i] ^= 0x20;
            int offset = i;
            assertThatThrownBy(() -> ArchiveManifests.graphId(damaged)).as("byte %d", offset)
                    .isInstanceOf(ArchiveCorruptException.class).hasMessageContaining(ArchiveCatalog.MANIFEST);
        }
    }
}
