package io.graphwal.sample;

import java.net.URI;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The error page: answers, as a problem detail, every error that did not pass through
 * {@link ApiExceptionHandler}, i.e. errors a filter or the servlet container raised with {@code sendError}
 * (a body over {@code sample.max-request-size}, a malformed request) and exceptions that escaped the
 * dispatcher. Replaces Spring Boot's {@code BasicErrorController}, whose JSON is not a problem detail.
 *
 * <p>A client error keeps the message it was raised with, which is meant for the client; a server error
 * says only that the server log has the details, as {@link ApiExceptionHandler} does.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Only the container forwards here with a status; a client asking for /error itself finds nothing.
        int status = code instanceof Integer value ? value : HttpStatus.NOT_FOUND.value();
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String value ? value : request.getRequestURI();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status),
                detail(status, message instanceof String text ? text : null, path));
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException notAUri) {
            // The container let through a path that is no URI; the problem is complete without its instance.
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static String detail(int status, String message, String path) {
        if (status >= 500) {
            return "The request failed unexpectedly; the server log has the details";
        }
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (status == HttpStatus.NOT_FOUND.value()) {
            return "Nothing is served at " + path + "; the API's routes start with /api/ (see the README)";
        }
        HttpStatus known = HttpStatus.resolve(status);
        return "The request was refused: " + (known == null ? "HTTP " + status : known.getReasonPhrase());
    }
}
