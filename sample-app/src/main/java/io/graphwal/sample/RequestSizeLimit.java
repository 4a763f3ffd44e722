package io.graphwal.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies over {@code sample.max-request-size} before anything parses them, on every route
 * (the API's and Actuator's alike): without a bound, one large body makes the JSON parser build a tree the
 * heap cannot hold, and an {@link OutOfMemoryError} in a request thread can land anywhere, a committing
 * thread included.
 *
 * <p>A declared {@code Content-Length} over the limit is answered 413 at once, without reading the body. A body
 * of unknown length (chunked) is counted as it is read, and reading fails with a
 * {@link RequestTooLargeException} at the first byte past the limit, which {@link ApiExceptionHandler} answers
 * 413; a body with a declared length needs no counting, since the server never reads past that length.
 */
class RequestSizeLimit extends OncePerRequestFilter {

    private final long limit;

    RequestSizeLimit(long limit) {
        this.limit = limit;
    }

    static String detail(long limit) {
        return "The request body is larger than the " + limit + " bytes this server accepts; send less per "
                + "request (split a large transaction into several), or raise " + SampleProperties.MAX_REQUEST_SIZE;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > limit) {
            // Answered through the error page, so that it is a problem detail like every other error.
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, detail(limit));
            return;
        }
        chain.doFilter(length < 0 ? new Counted(request, limit) : request, response);
    }

    /** The request with its body counted as it is read. */
    private static final class Counted extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        Counted(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), limit);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    /** Fails a read that would take the body past the limit; never hands out a byte beyond it. */
    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private final long limit;
        private long read;

        CountingStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestTooLargeException {
            read += n;
            if (read > limit) {
                throw new RequestTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
