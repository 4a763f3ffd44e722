package io.graphwal.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on an error, as a problem detail instead of its HTML page. It only speaks for requests
 * that never reached the application, which Tomcat refuses while reading them, before any servlet, filter or
 * error page can run: a request line or headers over {@code server.max-http-request-header-size} (8 KB by
 * default; a long query string counts), or a URL Tomcat cannot decode. Every other error is answered by
 * {@link ProblemErrorController} through the error page, and this valve finds the response already written.
 */
class ProblemReportValve extends ErrorReportValve {

    private final JsonMapper json;

    ProblemReportValve(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // The same guards as Tomcat's own report: an error, nothing written yet, reported once, and a
        // connection that can still take a response.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        HttpStatus known = HttpStatus.resolve(status);
        problem.put("title", known == null ? "HTTP " + status : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail(status, response.getMessage(), throwable,
                request.getConnector().getProperty("maxHttpHeaderSize")));
        try {
            byte[] body = json.writeValueAsBytes(problem);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(body.length);
            OutputStream out = response.getOutputStream();
            out.write(body);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // The client has gone or the connection is failing; there is no one left to tell.
            container.getLogger().debug("Could not write the problem detail of a refused request", e);
        }
    }

    /**
     * The detail of a request Tomcat refused: what it could not read, in words a client can act on.
     *
     * @param status the status Tomcat set
     * @param message Tomcat's message, if any (e.g. {@code Invalid URI: [...]})
     * @param throwable what Tomcat failed with, if anything
     * @param headerLimit the connector's {@code maxHttpHeaderSize}, in bytes, or null if unknown
     * @return the detail
     */
    static String detail(int status, String message, Throwable throwable, Object headerLimit) {
        if (throwable instanceof IllegalArgumentException && String.valueOf(throwable.getMessage()).contains(
                "header is too large")) {
            return "The request line and headers are larger than the "
                    + (headerLimit == null ? "" : headerLimit + " bytes ")
                    + "this server accepts (a long query string counts); send large data in the request body instead";
        }
        if (status < 500 && message != null && !message.isBlank()) {
            return "The server could not read the request: " + message;
        }
        if (status < 500) {
            return "The server could not read the request (HTTP " + status + "); check its URL and headers";
        }
        return "The server failed to process the request; the server log has the details";
    }
}
