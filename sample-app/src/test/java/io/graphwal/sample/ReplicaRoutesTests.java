package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.graphwal.autoconfigure.GraphWalReplica;

/**
 * The app opened as a read replica (through the starter's replica seam, without a broker: the source here
 * feeds nothing): every write route answers 409 with a problem detail saying where writes go, reads answer,
 * and the wal endpoint reports the replica.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ReplicaRoutesTests.Source.class)
class ReplicaRoutesTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("graphwal.directory", () -> dir.resolve("graph").toString());
    }

    /** A source that names a leader and has nothing to apply. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Source {

        @Bean
        GraphWalReplica replica() {
            return new GraphWalReplica() {
                @Override
                public String leaderGraphId() {
                    return "00000000-0000-4000-8000-000000000001";
                }

                @Override
                public Status status() {
                    return new Status("test:leader", 0, 0, 0);
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Test
    void everyWriteRouteIs409AndReadsAnswer() {
        Http http = new Http(port);
        String readReplica = "This instance is a read replica";
        ApiTests.problem(http.post("/api/nodes", "{\"labels\":[\"Person\"]}"), 409, readReplica, "leader");
        ApiTests.problem(http.patch("/api/nodes/0", "{\"properties\":{\"name\":\"Bob\"}}"), 409, readReplica);
        ApiTests.problem(http.delete("/api/nodes/0"), 409, readReplica);
        ApiTests.problem(http.post("/api/relationships", "{\"from\":0,\"to\":1,\"type\":\"KNOWS\"}"), 409,
                readReplica);
        ApiTests.problem(http.delete("/api/relationships/0"), 409, readReplica);
        ApiTests.problem(http.post("/api/transactions", "{\"operations\":[{\"op\":\"createNode\"}]}"), 409,
                readReplica);

        assertThat(ApiTests.expect(http.get("/api/nodes?label=Person"), 200).size()).isZero();
        assertThat(ApiTests.expect(http.get("/actuator/wal"), 200).get("replica").get("source").asString())
                .isEqualTo("test:leader");
    }
}
