package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalListener;

/** The log's listener hears of every logged commit, with its LSN, the sync mode and how long it took. */
class CommitListenerTest {

    @TempDir
    Path dir;

    record Committed(long lsn, SyncMode syncMode, long durationNanos) {
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void listenerHearsOfEveryLoggedCommitButNotOfEmptyOnes(SyncMode mode) {
        List<Committed> heard = new CopyOnWriteArrayList<>();
        WalListener listener = new WalListener() {
            @Override
            public void committed(long lsn, SyncMode syncMode, long durationNanos) {
                heard.add(new Committed(lsn, syncMode, durationNanos));
            }
        };
        try (GraphDatabase database = GraphDatabase
                .open(DatabaseConfig.of(WalConfig.builder(dir).syncMode(mode).listener(listener).build()))) {
            database.commit((tx) -> tx.createNode(List.of("A"), Map.of()));
            database.commit((tx) -> null);
            database.commit((tx) -> tx.createNode(List.of("B"), Map.of()));
        }
        assertThat(heard).extracting(Committed::lsn).containsExactly(1L, 2L);
        assertThat(heard).extracting(Committed::syncMode).containsOnly(mode);
        assertThat(heard).allSatisfy((committed) -> assertThat(committed.durationNanos()).isNotNegative());
    }
}
