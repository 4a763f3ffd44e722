package io.graphwal.archive.s3;

import java.io.FilterInputStream;
import java.io.IOException;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The body of a downloaded object. Reading it can fail in ways the SDK reports unchecked (a response checksum
 * that does not match, for one) or as a bare socket error; both become an {@link IOException} naming the
 * object and the target, as every failure of a target must.
 *
 * <p>Closing it before the end aborts the connection instead of draining the rest of a large object.
 */
final class ObjectStream extends FilterInputStream {

    private final ResponseInputStream<?> response;
    private final String what;
    private boolean ended;

    /**
     * @param what the object and its target, as a failure names them
     */
    ObjectStream(ResponseInputStream<?> response, String what) {
        super(response);
        this.response = response;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            ended |= b < 0;
            return b;
        } catch (IOException | SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        } catch (IOException | SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException | SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return super.available();
        } catch (IOException | SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            if (!ended) {
                response.abort();
            }
            super.close();
        } catch (IOException | SdkException e) {
            throw failure(e);
        }
    }

    private IOException failure(Exception e) {
        return new IOException("cannot read " + what + ": " + e.getMessage(), e);
    }
}
