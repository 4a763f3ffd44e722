package io.graphwal.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for the sample app on a local port, as a user's client would call it. */
final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;
    private final String base;

    Http(int port) {
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response patch(String path, String json) {
        return send("PATCH", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String json) {
        return sendBody(method, path, json == null ? null : HttpRequest.BodyPublishers.ofString(json));
    }

    /**
     * Sends a large JSON body as a careful client does (curl, for one): with a declared length and
     * {@code Expect: 100-continue}, sending the body only once the server asks for it, so that a refusal by
     * length arrives before a byte of the body is sent. Sending it regardless races the server, which closes
     * the connection after refusing and may reset it while the response is still in flight; and the JDK's
     * client sends the body even after a final answer to its {@code Expect}, so this speaks HTTP/1.1 itself.
     */
    Response upload(String method, String path, byte[] json) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + json.length + "\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Map<String, String> headers = new HashMap<>();
            int status = readHead(in, headers);
            if (status == 100) {
                out.write(json);
                out.flush();
                headers.clear();
                status = readHead(in, headers);
            }
            byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(in)
                    : in.readAllBytes();
            return new Response(status, headers.getOrDefault("content-type", ""), headers.get("location"),
                    new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    /** Reads a status line and headers (names lower-cased) up to the blank line; returns the status. */
    private static int readHead(InputStream in, Map<String, String> headers) throws IOException {
        String statusLine = readLine(in);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("The connection closed in the middle of a response head: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(readLine(in).strip(), 16); size > 0;
                size = Integer.parseInt(readLine(in).strip(), 16)) {
            body.write(in.readNBytes(size));
            readLine(in);
        }
        return body.toByteArray();
    }

    /** Sends a JSON body without declaring its length, so that it travels chunked. */
    Response uploadChunked(String method, String path, byte[] json) {
        return sendBody(method, path, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)));
    }

    private Response sendBody(String method, String path, HttpRequest.BodyPublisher json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, json);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + path, e);
        }
    }

    /**
     * One response.
     *
     * @param status the HTTP status
     * @param contentType the Content-Type header, or empty
     * @param location the Location header, or null
     * @param body the body as text
     */
    record Response(int status, String contentType, String location, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
