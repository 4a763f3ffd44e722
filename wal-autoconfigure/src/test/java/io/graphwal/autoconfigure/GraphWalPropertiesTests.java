package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.wal.WalConfig;

/**
 * The {@code graphwal.*} defaults are written as literals, so that Spring Boot's configuration processor
 * documents them for IDEs; this checks each against the engine's own default, so the two cannot drift.
 */
class GraphWalPropertiesTests {

    @Test
    void defaultValuesAreConsistentWithTheEngine() {
        GraphWalProperties properties = new GraphWalProperties();
        WalConfig wal = WalConfig.builder(Path.of(properties.getDirectory())).build();
        DatabaseConfig database = DatabaseConfig.of(wal);

        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getWal().getSyncMode()).isEqualTo(wal.syncMode());
        assertThat(properties.getWal().getGroupInterval()).isEqualTo(wal.groupInterval());
        assertThat(properties.getWal().getSegmentSize().toBytes()).isEqualTo(wal.segmentSize());
        assertThat(properties.getWal().getMaxRecordSize().toBytes()).isEqualTo(wal.maxRecordSize());
        assertThat(properties.getWal().isPreallocate()).isEqualTo(wal.preallocate());
        assertThat(properties.getRecovery().getTornTail()).isEqualTo(wal.tornTail());
        assertThat(properties.getSnapshot().getEveryRecords()).isEqualTo(database.snapshotEveryRecords());
        assertThat(properties.getSnapshot().getRetain()).isEqualTo(database.snapshotRetain());
        assertThat(properties.getArchive().getDirectory()).isNull();
        assertThat(properties.getArchive().getMaxLag()).isEqualTo(ArchiveConfig.DEFAULT_MAX_LAG);
        assertThat(properties.getArchive().getRetention()).isEqualTo(ArchiveConfig.DEFAULT_RETENTION);
        assertThat(properties.getArchive().isRestoreIfEmpty()).isEqualTo(database.restoreIfEmpty());
        assertThat(database.archive()).isNull();
    }

    @Test
    void theDefaultsMakeAConfigurationTheEngineAccepts() {
        DatabaseConfig config = GraphWalSettings.toDatabaseConfig(new GraphWalProperties(),
                java.util.List.of(), key -> null);
        assertThat(config.wal().directory()).isEqualTo(Path.of("./data/graphwal"));
    }
}
