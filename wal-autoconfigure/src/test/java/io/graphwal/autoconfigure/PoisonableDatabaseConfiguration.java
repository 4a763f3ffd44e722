package io.graphwal.autoconfigure;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * A user-defined {@link GraphDatabase}, in per-commit mode, over an {@link FsyncFailingFileIO}, so tests can
 * poison its log.
 */
@Configuration(proxyBeanMethods = false)
public class PoisonableDatabaseConfiguration {

    @Bean
    FsyncFailingFileIO fsyncFailingFileIO() {
        return new FsyncFailingFileIO();
    }

    @Bean(destroyMethod = "close")
    GraphDatabase graphDatabase(FsyncFailingFileIO fileIO, @Value("${graphwal.directory}") String directory) {
        return GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(Path.of(directory))
            .syncMode(SyncMode.PER_COMMIT)
            .fileIO(fileIO)
            .build()));
    }
}
