package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIO} wrapper for tests that watches the log work: it counts calls, keeps an ordered event
 * list, counts bytes read per file, remembers the largest read asked for, and can hold every {@code force()}
 * at a gate until the test opens it.
 */
public final class ObservedFileIO extends ForwardingFileIO {

    public final List<String> events = new CopyOnWriteArrayList<>();
    public final AtomicLong forces = new AtomicLong();
    public final AtomicLong writes = new AtomicLong();
    public final ConcurrentHashMap<String, AtomicLong> bytesRead = new ConcurrentHashMap<>();
    public final ConcurrentHashMap<String, AtomicLong> opens = new ConcurrentHashMap<>();
    /** The largest {@code destination.remaining()} any read asked for. */
    public final AtomicLong largestRead = new AtomicLong();
    private final ForceGate gate = new ForceGate();

    public ObservedFileIO() {
        super(FileIO.standard());
    }

    /** From now on every force() waits until {@link #openGate()}. */
    public void closeGate() {
        gate.close();
    }

    public void openGate() {
        gate.open();
    }

    /** How many force() calls are held at the gate. */
    public int forcesWaitingAtGate() {
        return gate.waiting();
    }

    public long bytesReadFrom(Path file) {
        AtomicLong count = bytesRead.get(file.getFileName().toString());
        return count == null ? 0 : count.get();
    }

    public long opensOf(Path file) {
        AtomicLong count = opens.get(file.getFileName().toString());
        return count == null ? 0 : count.get();
    }

    @Override
    protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
        String name = path.getFileName().toString();
        opens.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
        return new ForwardingHandle(handle) {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                writes.incrementAndGet();
                events.add("write " + name + "@" + position);
                delegate.write(source, position);
            }

            @Override
            public int read(ByteBuffer destination, long position) throws IOException {
                largestRead.accumulateAndGet(destination.remaining(), Math::max);
                int read = delegate.read(destination, position);
                if (read > 0) {
                    bytesRead.computeIfAbsent(name, key -> new AtomicLong()).addAndGet(read);
                }
                return read;
            }

            @Override
            public void force() throws IOException {
                gate.pass();
                delegate.force();
                forces.incrementAndGet();
                events.add("force " + name);
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        events.add("syncDirectory");
        delegate.syncDirectory(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        events.add("delete " + path.getFileName());
        delegate.delete(path);
    }
}
