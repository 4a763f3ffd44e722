package io.graphwal.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.graphwal.autoconfigure.PoisonableDatabaseConfiguration;
import io.graphwal.io.FsyncFailingFileIO;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalPoisonedException;

/**
 * The endpoints over real HTTP: JSON from GET, writes refused unless access is granted, and a poisoned log
 * seen as DOWN health and readiness, a poisoned status and 503 on flush.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = EndpointHttpTests.App.class,
        properties = {"management.endpoints.web.exposure.include=health,wal,graph",
                "management.endpoint.health.show-details=always", "management.endpoint.wal.access=unrestricted"})
class EndpointHttpTests {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("graphwal.directory", () -> dir.resolve("graph").toString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(PoisonableDatabaseConfiguration.class)
    static class App {
    }

    @Autowired
    Environment environment;

    @Autowired
    GraphDatabase database;

    @Autowired
    FsyncFailingFileIO fileIO;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
        HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsAnswerOverHttpAndAPoisonedLogIsReportedAndRefusesFlush() throws Exception {
        database.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Ann")));

        HttpResponse<String> status = send("GET", "/actuator/wal");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"syncMode\"", "\"appendedLsn\":1", "\"durableLsn\":1", "\"segments\"",
                "\"lastFsync\"", "\"poisoned\":false", "\"lastReplay\"", "\"lastSnapshot\"");

        HttpResponse<String> graph = send("GET", "/actuator/graph");
        assertThat(graph.statusCode()).isEqualTo(200);
        assertThat(graph.body()).contains("\"nodes\":1", "\"relationships\":0", "\"labels\"", "\"Person\"");

        HttpResponse<String> flush = send("POST", "/actuator/wal");
        assertThat(flush.statusCode()).isEqualTo(200);
        assertThat(flush.body()).contains("\"durableLsn\":1");

        // graph was not granted write access, so its checkpoint operation does not exist over HTTP.
        HttpResponse<String> checkpoint = send("POST", "/actuator/graph");
        assertThat(checkpoint.statusCode()).isBetween(400, 499);

        assertThat(send("GET", "/actuator/health/wal").body()).contains("\"UP\"");
        assertThat(send("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);

        fileIO.failFsyncs();
        assertThatThrownBy(() -> database.commit(tx -> tx.createNode(List.of("Person"), Map.of("name", "Bob"))))
                .isInstanceOf(WalPoisonedException.class);

        HttpResponse<String> health = send("GET", "/actuator/health/wal");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"DOWN\"", "injected fsync failure");
        // Only the wal component is DOWN, so this proves it is a member of the readiness group.
        assertThat(send("GET", "/actuator/health/readiness").statusCode()).isEqualTo(503);

        HttpResponse<String> poisoned = send("GET", "/actuator/wal");
        assertThat(poisoned.body()).contains("\"poisoned\":true", "injected fsync failure", "\"durableLsn\":1");

        HttpResponse<String> refused = send("POST", "/actuator/wal");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("injected fsync failure");
    }
}
