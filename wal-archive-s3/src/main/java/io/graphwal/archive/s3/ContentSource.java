package io.graphwal.archive.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.graphwal.archive.ArchiveTarget.ObjectContent;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * One upload's view of an object's content. The SDK asks for a fresh stream for each attempt (and may read one
 * first to sign it); each stream checks that the content yields exactly its declared length, so a short or long
 * content fails the request before S3 has all of a body it would store. A request that fails in flight stores
 * nothing: S3 keeps an object only once its whole body arrived.
 *
 * <p>The SDK does not promise to close what it opened, so each new stream closes the one before, and
 * {@link #close()} closes the last. Not for concurrent use beyond the SDK's own sequential calls.
 */
final class ContentSource implements ContentStreamProvider, AutoCloseable {

    private final String name;
    private final ObjectContent content;
    private InputStream current;
    private IOException failure;

    ContentSource(String name, ObjectContent content) {
        this.name = name;
        this.content = content;
    }

    @Override
    public synchronized InputStream newStream() {
        closeCurrent();
        try {
            current = new ExactLength(content.open(), content.length());
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException(e);
        }
        return current;
    }

    /**
     * Checks that empty content is empty. The SDK reads nothing of an empty body, so excess bytes would go
     * unnoticed by the streams it opens.
     *
     * @throws IOException if the content cannot be opened or yields a byte
     */
    void checkEmpty() throws IOException {
        try (ExactLength stream = new ExactLength(content.open(), 0)) {
            stream.checkEnd();
        }
    }

    /** The content's own failure, if it had one: the reason to report rather than the SDK's wrapping of it. */
    synchronized IOException failure() {
        return failure;
    }

    @Override
    public synchronized void close() {
        closeCurrent();
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // The content was read or abandoned already; a failing close loses nothing of the upload.
            }
            current = null;
        }
    }

    private synchronized void failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private final class ExactLength extends FilterInputStream {

        private final long length;
        private long consumed;
        private boolean endChecked;

        ExactLength(InputStream in, long length) {
            super(in);
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (consumed == length) {
                checkEnd();
                return count == 0 ? 0 : -1;
            }
            if (count == 0) {
                return 0;
            }
            int n = underlying(() -> in.read(buffer, offset, (int) Math.min(count, length - consumed)));
            if (n < 0) {
                throw mismatch("yielded " + consumed + " bytes instead of " + length);
            }
            consumed += n;
            // Checked at once, as the SDK stops reading at the declared length and would never see the excess.
            if (consumed == length) {
                checkEnd();
            }
            return n;
        }

        private void checkEnd() throws IOException {
            if (!endChecked) {
                endChecked = true;
                if (underlying(in::read) >= 0) {
                    throw mismatch("yielded more than its length of " + length + " bytes");
                }
            }
        }

        @Override
        public long skip(long n) throws IOException {
            // Read rather than skip, so that the count stays true.
            byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), length - consumed);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private int underlying(Read call) throws IOException {
            try {
                return call.read();
            } catch (IOException e) {
                failed(e);
                throw e;
            }
        }

        private IOException mismatch(String what) {
            IOException e = new IOException("the content of " + name + " " + what);
            failed(e);
            return e;
        }
    }

    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }
}
