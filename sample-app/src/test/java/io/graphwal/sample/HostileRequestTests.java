package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.graphwal.replay.GraphDatabase;

/**
 * Requests a hostile client would send, over real HTTP against the app as its {@code application.yml}
 * configures it: bodies past the size limit, bodies that pass the JSON parser's limits, and requests Tomcat
 * refuses before the application sees them. Each is answered with a problem detail that names the limit,
 * and nothing is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileRequestTests {

    /** {@code sample.max-request-size} as application.yml sets it. */
    private static final int LIMIT = 4 * 1024 * 1024;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("graphwal.directory", () -> dir.resolve("graph").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    GraphDatabase db;

    @Autowired
    ServletWebServerApplicationContext context;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** A node-creating body of exactly {@code size} bytes: one string property padded to fit. */
    private static byte[] nodeBodyOf(int size) {
        String head = "{\"properties\":{\"s\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyOverTheLimitIs413NamingTheLimitAndTheKeyWhetherItsLengthIsDeclaredOrNot() {
        long lsn = db.wal().appendedLsn();
        byte[] body = nodeBodyOf(LIMIT + 1);
        ApiTests.problem(http.upload("POST", "/api/nodes", body), 413, "larger than the " + LIMIT + " bytes",
                "sample.max-request-size");
        // Counted as it is read, and refused at the first byte past the limit.
        ApiTests.problem(http.uploadChunked("POST", "/api/nodes", body), 413, "larger than the " + LIMIT + " bytes",
                "sample.max-request-size");
        ApiTests.problem(http.upload("POST", "/api/transactions", nodeBodyOf(48 * 1024 * 1024)), 413,
                "sample.max-request-size");
        assertThat(db.wal().appendedLsn()).as("nothing written").isEqualTo(lsn);
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        byte[] body = nodeBodyOf(LIMIT);
        ApiTests.expect(http.upload("POST", "/api/nodes", body), 201);
        ApiTests.expect(http.uploadChunked("POST", "/api/nodes", body), 201);
    }

    @Test
    void aBodyPastAParserLimitIsRefusedNamingThatLimit() {
        long lsn = db.wal().appendedLsn();
        ApiTests.problem(http.post("/api/nodes", "{\"properties\":{\"a\":" + "1".repeat(5000) + "}}"), 400,
                "A number in the request has 5000 digits; at most 1000 are accepted");
        ApiTests.problem(http.post("/api/nodes", "{\"properties\":{\"" + "k".repeat(1024 * 1024) + "\":1}}"), 413,
                "A field name (a property key, say) in the request is longer than 50000 characters");
        ApiTests.problem(http.post("/api/nodes", "{\"properties\":{\"a\":" + "[".repeat(100_000)
                + "]".repeat(100_000) + "}}"), 400, "nests arrays and objects more than 500 levels deep");
        assertThat(db.wal().appendedLsn()).as("nothing written").isEqualTo(lsn);
    }

    @Test
    void requestsTomcatRefusesBeforeTheApplicationAreProblemDetailsToo() throws IOException {
        String tenKilobytes = "a".repeat(10 * 1024);
        ApiTests.problem(http.get("/api/nodes?label=" + tenKilobytes), 400,
                "The request line and headers are larger than the 8192 bytes this server accepts");
        ApiTests.problem(raw("GET /api/nodes/%zz HTTP/1.1"), 400, "Invalid URI");
    }

    /** Sends a request line that {@link java.net.URI} refuses to build, over a plain socket. */
    private Http.Response raw(String requestLine) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, headersEnd);
            Matcher contentType = Pattern.compile("(?im)^Content-Type:\\s*(.*)$").matcher(headers);
            return new Http.Response(Integer.parseInt(headers.substring(9, 12)),
                    contentType.find() ? contentType.group(1).strip() : "", null,
                    response.substring(headersEnd + 4));
        }
    }

    @Test
    void errorsOutsideTheControllersAreProblemDetails() {
        ApiTests.problem(http.get("/nowhere"), 404, "nowhere");
        ApiTests.problem(http.send("PUT", "/api/nodes/1", "{}"), 405, "PUT");
        // The error page itself, asked for directly, is no exception.
        ApiTests.problem(http.get("/error"), 404, "/error");
    }

    @Test
    void theServerListensOnLoopbackOnly() throws IOException {
        InetAddress bound = (InetAddress) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector()
                .getProperty("address");
        assertThat(bound).isNotNull();
        assertThat(bound.isLoopbackAddress()).as("bound to %s", bound).isTrue();
        // Where the machine has another address, the port is closed on it.
        Optional<InetAddress> other = otherAddress();
        if (other.isPresent()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other.get(), port), 5_000))
                        .isInstanceOf(IOException.class);
            }
        }
    }

    private static Optional<InetAddress> otherAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
