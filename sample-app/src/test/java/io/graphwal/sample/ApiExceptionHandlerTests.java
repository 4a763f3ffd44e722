package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import io.graphwal.graph.GraphFailedException;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.wal.WalPoison;
import io.graphwal.wal.WalPoisonedException;
import io.graphwal.wal.WalRecordTooLargeException;

/** Failures of the log, which a healthy app cannot produce on demand, mapped to their problem details. */
class ApiExceptionHandlerTests {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aPoisonedLogIs503WithTheCause() {
        WalPoison poison = new WalPoison(new IOException("disk gone"), Instant.now(), "fsync", 41);
        ProblemDetail problem = handler.unavailable(new WalPoisonedException(poison));
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getDetail()).contains("poisoned", "durable LSN 41", "disk gone");
    }

    @Test
    void aGraphThatStoppedServingIs503NamingTheTransactionThatFailedToApply() {
        GraphFailedException failed = new GraphFailedException(7, new OutOfMemoryError("Java heap space"));
        Method handling = new ExceptionHandlerMethodResolver(ApiExceptionHandler.class).resolveMethod(failed);
        assertThat(handling).isNotNull();
        assertThat(handling.getName()).isEqualTo("unavailable");
        ProblemDetail problem = handler.unavailable(failed);
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getDetail()).contains("LSN 7", "Java heap space", "restart");
    }

    @Test
    void aTransactionTooLargeForOneRecordIs413() {
        ProblemDetail problem = handler.tooLarge(new WalRecordTooLargeException(20, 10));
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).contains("graphwal.wal.max-record-size");
    }

    @Test
    void aGraphLimitIs413WithTheEnginesMessage() {
        GraphValidationException limit = new GraphValidationException(GraphValidationException.Reason.LIMIT,
                "Node 0 would have 1025 labels; at most 1024 are allowed");
        ProblemDetail problem = handler.refused(limit);
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).isEqualTo("Node 0 would have 1025 labels; at most 1024 are allowed");
    }

    @Test
    void aGraphLimitInOneOperationOfATransactionIs413NamingTheOperation() {
        GraphValidationException limit = new GraphValidationException(GraphValidationException.Reason.LIMIT,
                "Node 3 would have 16385 properties; at most 16384 are allowed");
        ProblemDetail problem = handler.operationFailed(new OperationFailedException(2, "updateNode", limit));
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).contains("Operation 2 (updateNode)", "at most 16384 are allowed");
        assertThat(problem.getProperties()).containsEntry("operation", 2);
    }

    @Test
    void anUnexpectedFailureIs500WithoutInternals() {
        ProblemDetail problem = handler.unexpected(new IllegalStateException("secret internals"));
        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getDetail()).doesNotContain("secret internals").contains("server log");
    }
}
