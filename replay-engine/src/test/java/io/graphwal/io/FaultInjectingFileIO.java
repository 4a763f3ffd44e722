package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIO} for tests: passes every call to another one, counts the calls by {@link Kind}, and makes
 * the calls a test picks fail with an {@code IOException} whose message starts with "injected".
 *
 * <p>Call numbers are 1-based and counted from the moment a rule is armed, so {@code failOnce(Kind.WRITE, 1)}
 * fails the very next write whatever happened before. A failing call does not reach the delegate, except a
 * torn write, which writes a prefix of its bytes first, and a close, which always closes the real file.
 * {@link #pauseAt} holds a chosen call (before any fault is applied to it) until the test resumes it, to
 * line up races deterministically. Counters include failed and paused calls. Safe for concurrent use.
 *
 * <p><b>Mapped writes.</b> Built with {@link #mappingForWriting(FileIO)}, its handles accept
 * {@link FileHandle#mapForWriting} and then behave as the log sees the production handle on Linux, with each
 * step of that path a call of its own kind: {@link Kind#MAP} (which grows the file with a one-byte write at
 * its new end), {@link Kind#ZERO_FILL} (each positional write of zeros, up to 1 MiB, ahead of the copies) and
 * {@link Kind#MAPPED_WRITE} (the copy of a write inside the mapped size). A failed copy has copied its bytes
 * up to the first page boundary past its start, as a copy that faults on the next page would, and fails the
 * write call: where the production handle sees the fault. The bytes themselves reach the delegate by
 * ordinary writes, so the delegate needs no mapping.
 */
public final class FaultInjectingFileIO implements FileIO {

    /** The kinds of call that are counted and can be failed. */
    public enum Kind {
        /** {@link FileIO#open} with {@link FileIO.OpenMode#CREATE_NEW}. */
        CREATE,
        /** {@link FileIO#open} with {@link FileIO.OpenMode#READ_WRITE} or {@link FileIO.OpenMode#READ}. */
        OPEN,
        WRITE,
        READ,
        SIZE,
        FORCE,
        TRUNCATE,
        CLOSE,
        MOVE,
        SYNC_DIRECTORY,
        LIST,
        DELETE,
        CREATE_DIRECTORIES,
        /** {@link FileHandle#mapForWriting}, when the handle accepts it. */
        MAP,
        /** A positional write of zeros ahead of mapped copies, as the production handle makes it. */
        ZERO_FILL,
        /** A write inside the mapped size: a copy into the mapping. */
        MAPPED_WRITE
    }

    /** The size of the pages a faulting copy stops at. */
    static final int PAGE = 4096;
    /** How far ahead of mapped copies zeros are written, as the production handle does. */
    static final long RESERVATION_CHUNK = 1024 * 1024;

    /** How long a paused call waits for {@link Pause#resume()} before it carries on regardless. */
    private static final Duration PAUSE_LIMIT = Duration.ofSeconds(60);

    private final FileIO delegate;
    private final Map<Kind, AtomicLong> calls = new EnumMap<>(Kind.class);
    private final AtomicInteger openHandles = new AtomicInteger();
    // Guarded by this.
    private final List<Rule> rules = new ArrayList<>();
    private final List<Pause> pauses = new ArrayList<>();
    private final List<IOException> injected = new ArrayList<>();

    private final boolean mapsForWriting;

    /** Wraps {@code delegate}; its handles refuse {@link FileHandle#mapForWriting}, as the default does. */
    public FaultInjectingFileIO(FileIO delegate) {
        this(delegate, false);
    }

    private FaultInjectingFileIO(FileIO delegate, boolean mapsForWriting) {
        this.delegate = delegate;
        this.mapsForWriting = mapsForWriting;
        for (Kind kind : Kind.values()) {
            calls.put(kind, new AtomicLong());
        }
    }

    /** Wraps {@code delegate}; its handles accept {@link FileHandle#mapForWriting}: see the class comment. */
    public static FaultInjectingFileIO mappingForWriting(FileIO delegate) {
        return new FaultInjectingFileIO(delegate, true);
    }

    /** Fails only the {@code nth} call of {@code kind} from now on. */
    public synchronized void failOnce(Kind kind, int nth) {
        rules.add(new Rule(kind, callsAhead(kind, nth), false, -1));
    }

    /** Fails the {@code nth} call of {@code kind} from now on and every later one. */
    public synchronized void failFrom(Kind kind, int nth) {
        rules.add(new Rule(kind, callsAhead(kind, nth), true, -1));
    }

    /** The {@code nth} write from now on writes only its first {@code prefixBytes} bytes, then fails. */
    public synchronized void tearWrite(int nth, int prefixBytes) {
        if (prefixBytes < 0) {
            throw new IllegalArgumentException("prefixBytes must not be negative");
        }
        rules.add(new Rule(Kind.WRITE, callsAhead(Kind.WRITE, nth), false, prefixBytes));
    }

    /** Holds the {@code nth} call of {@code kind} from now on, on whatever thread makes it, until resumed. */
    public synchronized Pause pauseAt(Kind kind, int nth) {
        Pause pause = new Pause(kind, callsAhead(kind, nth));
        pauses.add(pause);
        return pause;
    }

    /** Removes every rule, so later calls succeed; counters and the record of injected failures remain. */
    public synchronized void heal() {
        rules.clear();
    }

    /** How many calls of {@code kind} have been made, including failed ones. */
    public long calls(Kind kind) {
        return calls.get(kind).get();
    }

    /** Every exception injected so far, oldest first. */
    public synchronized List<IOException> injected() {
        return List.copyOf(injected);
    }

    /** The exception injected most recently; fails the test if none was. */
    public synchronized IOException lastInjected() {
        if (injected.isEmpty()) {
            throw new AssertionError("no failure has been injected");
        }
        return injected.get(injected.size() - 1);
    }

    /** How many handles opened through this file system are not closed yet. */
    public int openHandles() {
        return openHandles.get();
    }

    private long callsAhead(Kind kind, int nth) {
        if (nth < 1) {
            throw new IllegalArgumentException("call numbers start at 1, was " + nth);
        }
        return calls(kind) + nth;
    }

    /**
     * Counts a call, holds it if a pause is set for it, and returns the rule that fails it, or null. A
     * failure that is not a torn write has already been recorded and is returned as {@code rule.failure}.
     */
    private Rule enter(Kind kind, Object target) {
        long call = calls.get(kind).incrementAndGet();
        Pause pause = null;
        Rule fired = null;
        synchronized (this) {
            for (Pause candidate : pauses) {
                if (candidate.kind == kind && candidate.call == call) {
                    pause = candidate;
                }
            }
            for (Rule rule : rules) {
                if (rule.kind == kind && (call == rule.firstCall || rule.always && call > rule.firstCall)) {
                    fired = rule;
                    break;
                }
            }
        }
        if (pause != null) {
            pause.hold();
        }
        if (fired == null) {
            return null;
        }
        String what = fired.tornPrefix >= 0 ? "torn write (" + fired.tornPrefix + " bytes written)" : "failure";
        IOException failure = new IOException("injected " + what + " of " + kind + " call #" + call + " on " + target);
        synchronized (this) {
            injected.add(failure);
        }
        return new Rule(fired.kind, fired.firstCall, fired.always, fired.tornPrefix, failure);
    }

    private void check(Kind kind, Object target) throws IOException {
        Rule fired = enter(kind, target);
        if (fired != null) {
            throw fired.failure;
        }
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        check(mode == OpenMode.CREATE_NEW ? Kind.CREATE : Kind.OPEN, path);
        FileHandle handle = delegate.open(path, mode);
        openHandles.incrementAndGet();
        return new Handle(handle, path);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        check(Kind.MOVE, source);
        delegate.move(source, target);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        check(Kind.SYNC_DIRECTORY, directory);
        delegate.syncDirectory(directory);
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        check(Kind.LIST, directory);
        return delegate.list(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        check(Kind.DELETE, path);
        delegate.delete(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        check(Kind.CREATE_DIRECTORIES, directory);
        delegate.createDirectories(directory);
    }

    /** A counted, fallible wrapper around a real handle. */
    private final class Handle implements FileHandle {
        private final FileHandle handle;
        private final Path path;
        private final AtomicBoolean closed = new AtomicBoolean();
        // Guarded by this handle. Writes that end at or below mappedSize are copies into the mapping (0: none).
        private long mappedSize;
        /** Bytes below this were written, zeros or data, by positional writes since the mapping was made. */
        private long reservedEnd;

        Handle(FileHandle handle, Path path) {
            this.handle = handle;
            this.path = path;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            synchronized (this) {
                if (position + source.remaining() <= mappedSize) {
                    mappedWrite(source, position);
                    return;
                }
            }
            Rule fired = enter(Kind.WRITE, path);
            if (fired == null) {
                handle.write(source, position);
                return;
            }
            if (fired.tornPrefix > 0) {
                int prefix = Math.min(fired.tornPrefix, source.remaining());
                ByteBuffer head = source.duplicate();
                head.limit(head.position() + prefix);
                handle.write(head, position);
                source.position(source.position() + prefix);
            }
            throw fired.failure;
        }

        /** A write inside the mapped size, called under this handle's lock. */
        private void mappedWrite(ByteBuffer source, long position) throws IOException {
            int length = source.remaining();
            if (position + length > reservedEnd) {
                long to = Math.min(mappedSize, ((position + length) / RESERVATION_CHUNK + 1) * RESERVATION_CHUNK);
                for (long at = Math.max(reservedEnd, position); at < to; at += RESERVATION_CHUNK) {
                    check(Kind.ZERO_FILL, path);
                    handle.write(ByteBuffer.allocate((int) Math.min(RESERVATION_CHUNK, to - at)), at);
                }
                reservedEnd = to;
            }
            Rule fired = enter(Kind.MAPPED_WRITE, path);
            if (fired == null) {
                handle.write(source, position);
                return;
            }
            int copied = (int) Math.min(length, PAGE - position % PAGE);
            if (copied < length) {
                ByteBuffer head = source.duplicate();
                head.limit(head.position() + copied);
                handle.write(head, position);
            }
            throw fired.failure;
        }

        @Override
        public synchronized boolean mapForWriting(long size) throws IOException {
            if (!mapsForWriting) {
                return false;
            }
            check(Kind.MAP, path);
            if (handle.size() < size) {
                handle.write(ByteBuffer.allocate(1), size - 1); // grown sparsely, as the production handle does
            }
            mappedSize = size;
            reservedEnd = 0;
            return true;
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            check(Kind.READ, path);
            return handle.read(destination, position);
        }

        @Override
        public long size() throws IOException {
            check(Kind.SIZE, path);
            return handle.size();
        }

        @Override
        public void force() throws IOException {
            check(Kind.FORCE, path);
            handle.force();
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (this) {
                mappedSize = 0; // truncation ends mapped writing, even when it fails
            }
            check(Kind.TRUNCATE, path);
            handle.truncate(size);
        }

        @Override
        public void close() throws IOException {
            synchronized (this) {
                mappedSize = 0;
            }
            Rule fired = enter(Kind.CLOSE, path);
            if (closed.compareAndSet(false, true)) {
                openHandles.decrementAndGet();
            }
            handle.close();
            if (fired != null) {
                throw fired.failure;
            }
        }
    }

    /** A fault: which calls it hits, whether it tears, and (once it fired) the exception it threw. */
    private record Rule(Kind kind, long firstCall, boolean always, int tornPrefix, IOException failure) {
        Rule(Kind kind, long firstCall, boolean always, int tornPrefix) {
            this(kind, firstCall, always, tornPrefix, null);
        }
    }

    /** One held call; the test waits for it to arrive, then resumes it. */
    public static final class Pause {
        private final Kind kind;
        private final long call;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch resumed = new CountDownLatch(1);

        private Pause(Kind kind, long call) {
            this.kind = kind;
            this.call = call;
        }

        /** Waits until the held call has arrived; fails the test if it does not within {@code limit}. */
        public void awaitReached(Duration limit) throws InterruptedException {
            if (!reached.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(kind + " call #" + call + " was not reached within " + limit);
            }
        }

        public boolean reached() {
            return reached.getCount() == 0;
        }

        /** Lets the held call go on (to succeed or fail as the rules say). */
        public void resume() {
            resumed.countDown();
        }

        private void hold() {
            reached.countDown();
            boolean interrupted = false;
            long deadline = System.nanoTime() + PAUSE_LIMIT.toNanos();
            while (true) {
                try {
                    if (resumed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                            || System.nanoTime() >= deadline) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
