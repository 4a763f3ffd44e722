package io.graphwal.archive.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3-compatible store for trying the archive on one machine: s3proxy holding its objects in memory, on the
 * loopback address, with the tests' fixed credentials and one bucket already made. The README starts it with
 * {@code exec:java} (the build's configuration of that goal names this class) and it serves until Ctrl-C; the
 * sample app's README test starts it in process instead, on a port of the system's choosing. Everything it
 * holds is gone when it stops.
 */
public final class LocalS3Store implements AutoCloseable {

    /** The port the README's command serves on. */
    public static final int DEFAULT_PORT = 9000;

    /** The bucket that exists from the start. */
    public static final String BUCKET = "graphwal-demo";

    private static final Duration STARTUP_BOUND = Duration.ofMinutes(1);

    private final S3Proxy proxy;
    private final BlobStore store;

    private LocalS3Store(S3Proxy proxy, BlobStore store) {
        this.proxy = proxy;
        this.store = store;
    }

    /**
     * Starts a store and waits until it answers.
     *
     * @param port the port on 127.0.0.1; 0 lets the system pick a free one
     * @return the running store, holding the empty bucket {@link #BUCKET}
     * @throws Exception when s3proxy cannot start (the port is taken, for one)
     */
    public static LocalS3Store start(int port) throws Exception {
        // "transient" keeps the objects in memory: nothing to clean up, nothing left on disk.
        BlobStore store = BlobStores.create("transient", new Properties());
        store.createContainer(BUCKET);
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, TestStore.ACCESS_KEY, TestStore.SECRET_KEY)
                .build();
        try {
            proxy.start();
            // start() may return while Jetty is still binding; until it reports STARTED the port is unknown.
            long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
            for (String state = proxy.getState(); !"STARTED".equals(state); state = proxy.getState()) {
                if ("FAILED".equals(state) || System.nanoTime() > deadline) {
                    proxy.stop();
                    throw new IllegalStateException("s3proxy did not start on port " + port + ": " + state);
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            store.close();
            throw e;
        }
        return new LocalS3Store(proxy, store);
    }

    /** The endpoint to give {@code graphwal.archive.s3.endpoint}, with the port actually bound. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the local S3 store", e);
        } finally {
            store.close();
        }
    }

    /**
     * Serves on {@link #DEFAULT_PORT} (or the port given as the only argument) until the process is stopped.
     *
     * @param args nothing, or a port
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        LocalS3Store store = start(args.length == 0 ? DEFAULT_PORT : Integer.parseInt(args[0]));
        System.out.println("S3-compatible store (in memory) at " + store.endpoint() + ", bucket " + BUCKET
                + ", access key " + TestStore.ACCESS_KEY + ", secret key " + TestStore.SECRET_KEY
                + ". Ctrl-C stops it.");
        // exec:java runs this inside Maven's JVM, which would go on to end once main returned; block until
        // Ctrl-C ends the JVM instead. The objects live in memory only: there is nothing to clean up on the way.
        Thread.currentThread().join();
    }
}
