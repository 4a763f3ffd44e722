package io.graphwal.sample;

import java.io.IOException;

/**
 * A request body grew past {@code sample.max-request-size} while it was being read. An {@link IOException}, so
 * that it travels out of the JSON parser like any failed read; {@link ApiExceptionHandler} finds it in the
 * cause chain and answers 413.
 */
class RequestTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    RequestTooLargeException(long limit) {
        super(RequestSizeLimit.detail(limit));
    }
}
