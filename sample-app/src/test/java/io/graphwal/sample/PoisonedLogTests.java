package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The app over a log whose fsyncs start failing: once poisoned, every write answers 503 with the cause,
 * reads keep answering, and health and the wal endpoint say so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(PoisonedLogTests.FailingDisk.class)
class PoisonedLogTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("graphwal.directory", () -> dir.resolve("graph").toString());
    }

    /** The app's own database bean replaced by one whose file layer can be made to fail every fsync. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingDisk {

        final FsyncFailingFileIO io = new FsyncFailingFileIO();

        @Bean(destroyMethod = "close")
        GraphDatabase graphDatabase(@Value("${graphwal.directory}") String directory) {
            return GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(Path.of(directory))
                    .syncMode(SyncMode.PER_COMMIT).fileIO(io).build()));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    FailingDisk disk;

    @Test
    void aPoisonedLogRefusesWritesWith503AndKeepsAnsweringReads() {
        Http http = new Http(port);
        long ann = ApiTests.expect(http.post("/api/nodes", "{\"properties\":{\"name\":\"Ann\"}}"), 201).get("id")
                .asLong();

        disk.io.failFsyncs();
        ApiTests.problem(http.post("/api/nodes", "{}"), 503, "poisoned", "injected fsync failure",
                "writes are refused until restart");
        ApiTests.problem(http.patch("/api/nodes/" + ann, "{\"properties\":{\"name\":\"Bob\"}}"), 503, "poisoned");
        ApiTests.problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\"}]}"), 503,
                "poisoned");

        assertThat(ApiTests.expect(http.get("/api/nodes/" + ann), 200).get("properties").get("name").asString())
                .isEqualTo("Ann");
        JsonNode health = ApiTests.expect(http.get("/actuator/health"), 503);
        assertThat(health.get("components").get("wal").get("status").asString()).isEqualTo("DOWN");
        assertThat(ApiTests.expect(http.get("/actuator/wal"), 200).get("poisoned").asBoolean()).isTrue();
        assertThat(http.post("/actuator/wal", null).status()).isEqualTo(503);
    }
}
