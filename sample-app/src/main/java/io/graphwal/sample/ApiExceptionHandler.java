package io.graphwal.sample;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.graphwal.graph.GraphFailedException;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.replay.ReadOnlyReplicaException;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WalRecordTooLargeException;

/**
 * Answers every error of the API as an RFC 9457 problem detail whose {@code detail} says what is wrong and
 * how to fix it: unreadable bodies and bad fields 400, unknown ids 404, conflicts and writes sent to a read
 * replica 409, a body over {@code sample.max-request-size}, a transaction too large for one log record and one
 * past a graph limit ({@link io.graphwal.graph.GraphLimits}) 413, and a poisoned or closed log 503. Errors that never reach a
 * controller are answered by {@link ProblemErrorController} and {@link ProblemReportValve}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpStatus refused = RequestBodyErrors.status(ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(refused, RequestBodyErrors.describe(ex));
        return handleExceptionInternal(ex, problem, headers, refused, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException argument
                ? (argument.getParameter().hasParameterAnnotation(PathVariable.class) ? "Path variable '"
                        : "Query parameter '") + argument.getName() + "'"
                : "'" + ex.getPropertyName() + "'";
        String kind = ex.getRequiredType() == boolean.class || ex.getRequiredType() == Boolean.class
                ? "true or false" : "an integer";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                name + " is '" + ex.getValue() + "' but must be " + kind);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidRequestException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail refused(GraphValidationException e) {
        return ProblemDetail.forStatusAndDetail(status(e.reason()), e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail operationFailed(OperationFailedException e) {
        HttpStatus status = e.getCause() instanceof GraphValidationException refused ? status(refused.reason())
                : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setProperty("operation", e.index());
        return problem;
    }

    /** Every write route of a read replica: the write belongs to the leader. */
    @ExceptionHandler
    ProblemDetail readReplica(ReadOnlyReplicaException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail tooLarge(WalRecordTooLargeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    /** A body over the limit that failed outside the JSON parser, e.g. in the check for an empty body. */
    @ExceptionHandler
    ProblemDetail bodyTooLarge(RequestTooLargeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler({WalPoisonedException.class, WalClosedException.class, GraphFailedException.class})
    ProblemDetail unavailable(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Anything else is a bug or an I/O failure: logged in full, answered without internals. */
    @ExceptionHandler
    ProblemDetail unexpected(RuntimeException e) {
        logger.error("Request failed unexpectedly", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The request failed unexpectedly ("
                + e.getClass().getSimpleName() + "); the server log has the details");
    }

    private static HttpStatus status(GraphValidationException.Reason reason) {
        switch (reason) {
            case NOT_FOUND:
                return HttpStatus.NOT_FOUND;
            case CONFLICT:
                return HttpStatus.CONFLICT;
            case LIMIT:
                return HttpStatus.CONTENT_TOO_LARGE;
            default:
                return HttpStatus.BAD_REQUEST;
        }
    }
}
