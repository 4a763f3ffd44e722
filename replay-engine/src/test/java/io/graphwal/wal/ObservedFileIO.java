package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIO} wrapper for tests that watches the log work: it counts calls, keeps an ordered event
 * list, counts bytes read per file, remembers the largest read asked for, and can hold every {@code force()} at a gate until the test opens it.
 */
final class ObservedFileIO implements FileIO {

    private final FileIO delegate = FileIO.standard();
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicLong forces = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> bytesRead = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicLong> opens = new ConcurrentHashMap<>();
    /** The largest {@code destination.remaining()} any read asked for. */
    final AtomicLong largestRead = new AtomicLong();
    private volatile CountDownLatch forceGate;
    final AtomicLong forcesWaitingAtGate = new AtomicLong();

    /** From now on every force() waits until {@link #openGate()}. */
    void closeGate() {
        forceGate = new CountDownLatch(1);
    }

    void openGate() {
        CountDownLatch gate = forceGate;
        forceGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    long bytesReadFrom(Path file) {
        AtomicLong count = bytesRead.get(file.getFileName().toString());
        return count == null ? 0 : count.get();
    }

    long opensOf(Path file) {
        AtomicLong count = opens.get(file.getFileName().toString());
        return count == null ? 0 : count.get();
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        String name = path.getFileName().toString();
        opens.computeIfAbsent(name, key -> new AtomicLong()).incrementAndGet();
        FileHandle handle = delegate.open(path, mode);
        return new FileHandle() {
            @Override
            public void write(ByteBuffer source, long position) throws IOException {
                writes.incrementAndGet();
                events.add("write " + name + "@" + position);
                handle.write(source, position);
            }

            @Override
            public int read(ByteBuffer destination, long position) throws IOException {
                largestRead.accumulateAndGet(destination.remaining(), Math::max);
                int read = handle.read(destination, position);
                if (read > 0) {
                    bytesRead.computeIfAbsent(name, key -> new AtomicLong()).addAndGet(read);
                }
                return read;
            }

            @Override
            public long size() throws IOException {
                return handle.size();
            }

            @Override
            public void force() throws IOException {
                CountDownLatch gate = forceGate;
                if (gate != null) {
                    forcesWaitingAtGate.incrementAndGet();
                    try {
                        if (!gate.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("test gate was never opened");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted at test gate", e);
                    } finally {
                        forcesWaitingAtGate.decrementAndGet();
                    }
                }
                handle.force();
                forces.incrementAndGet();
                events.add("force " + name);
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
        events.add("syncDirectory");
        delegate.syncDirectory(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        return delegate.list(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        events.add("delete " + path.getFileName());
        delegate.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        delegate.createDirectories(directory);
    }
}
