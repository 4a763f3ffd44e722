package io.graphwal.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForceGate;
import io.graphwal.io.ForwardingFileIO;

/**
 * A {@link FileIO} for the graph's tests: passes every call to the standard implementation, can hold every
 * {@code force()} at a gate until the test opens it, and can make every {@code force()} fail from a chosen
 * moment on (after the gate, so a held fsync can be made to fail when it is let go), and every
 * {@code write()} likewise.
 */
final class GatedFileIO extends ForwardingFileIO {

    private final ForceGate gate = new ForceGate();
    private final AtomicInteger failedForces = new AtomicInteger();
    private volatile boolean failForces;
    private volatile boolean failWrites;

    GatedFileIO() {
        super(FileIO.standard());
    }

    /** From now on every force() waits until {@link #openGate()} (for at most 30 seconds, then fails). */
    void closeGate() {
        gate.close();
    }

    /** Lets every held and later force() through. */
    void openGate() {
        gate.open();
    }

    /** How many force() calls are being held at the gate right now. */
    int forcesAtGate() {
        return gate.waiting();
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
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        return new ForwardingHandle(handle) {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                if (failWrites) {
                    throw new IOException("injected write failure");
                }
                delegate.write(source, position);
            }

            @Override
            public void force() throws IOException {
                gate.pass();
                if (failForces) {
                    failedForces.incrementAndGet();
                    throw new IOException("injected fsync failure");
                }
                delegate.force();
            }
        };
    }
}
