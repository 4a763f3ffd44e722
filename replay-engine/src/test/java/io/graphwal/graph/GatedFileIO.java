package io.graphwal.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.graphwal.wal.FileHandle;
import io.graphwal.wal.FileIO;

/**
 * A {@link FileIO} for the graph's tests: passes every call to the standard implementation, can hold every
 * {@code force()} at a gate until the test opens it, and can make every {@code force()} fail from a chosen
 * moment on (after the gate, so a held fsync can be made to fail when it is let go), and every
 * {@code write()} likewise.
 */
final class GatedFileIO implements FileIO {

    private final FileIO delegate = FileIO.standard();
    private final AtomicInteger forcesAtGate = new AtomicInteger();
    private final AtomicInteger failedForces = new AtomicInteger();
    private volatile CountDownLatch gate;
    private volatile boolean failForces;
    private volatile boolean failWrites;

    /** From now on every force() waits until {@link #openGate()} (for at most 30 seconds, then fails). */
    void closeGate() {
        gate = new CountDownLatch(1);
    }

    /** Lets every held and later force() through. */
    void openGate() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** How many force() calls are being held at the gate right now. */
    int forcesAtGate() {
        return forcesAtGate.get();
    }

    /** From now on every force() that gets past the gate throws an IOException instead of fsyncing. */
    void failForces() {
        failForces = true;
    }

    /** From now on every write() throws an IOException without writing anything. */
    void failWrites() {
        failWrites = true;
    }

    /** How many force() calls failed because of {@link #failForces()}. */
    int failedForces() {
        return failedForces.get();
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        FileHandle handle = delegate.open(path, mode);
        return new FileHandle() {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                if (failWrites) {
                    throw new IOException("injected write failure");
                }
                handle.write(source, position);
            }

            @Override
            public int read(ByteBuffer destination, long position) throws IOException {
                return handle.read(destination, position);
            }

            @Override
            public long size() throws IOException {
                return handle.size();
            }

            @Override
            public void force() throws IOException {
                CountDownLatch current = gate;
                if (current != null) {
                    forcesAtGate.incrementAndGet();
                    try {
                        if (!current.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("test gate was never opened");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted at test gate", e);
                    } finally {
                        forcesAtGate.decrementAndGet();
                    }
                }
                if (failForces) {
                    failedForces.incrementAndGet();
                    throw new IOException("injected fsync failure");
                }
                handle.force();
            }

            @Override
            public void truncate(long size) throws IOException {
                handle.truncate(size);
            }

            @Override
            public void close() throws IOException {
                handle.close();
            }
        };
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        delegate.move(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        delegate.syncDirectory(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }
}
