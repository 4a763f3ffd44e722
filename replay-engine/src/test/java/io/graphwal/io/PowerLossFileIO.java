package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * A {@link FileIO} that simulates a power failure: it keeps what has reached stable storage apart from what
 * only reached the operating system, and on {@link #powerLoss(Random)} rewrites the directory as a disk might
 * look after the lights went out.
 *
 * <p>Calls pass through to real files, so the process under test sees ordinary file semantics while it runs.
 * Beside them the simulation keeps, per file, the image made durable by the last {@code force()} and the
 * writes and truncations since; and for the directory, the entries made durable by the last
 * {@code syncDirectory()} and the creations, deletions and renames since. At the power loss:
 * <ul>
 *   <li>every unsynced write survives sector by sector (512 bytes) at random, so writes tear and reorder,
 *       and bytes that never arrived read as zeros where the file grew;</li>
 *   <li>a random prefix of the unsynced directory operations survives (a journaling file system applies
 *       metadata in order), so recent creations can vanish and recent deletions can come back.</li>
 * </ul>
 * {@link #cutPowerAtCall(long)} makes the chosen mutating call (and everything after it) fail as if the
 * machine died there; a write that is cut still reaches the page cache, since it may partly survive.
 * Single-threaded workloads only need this; it is nevertheless safe for concurrent calls.
 *
 * <p><b>Mapped writes.</b> Built with {@link #mappingForWriting()}, its handles accept
 * {@link FileHandle#mapForWriting} as the production handle does on Linux, and behave as the log sees that
 * handle: the mapping call (one mutating call) grows the file sparsely with a one-byte write at its new end;
 * a later write inside the mapped size is first preceded, when it passes the zeros written so far, by
 * positional writes of zeros up to the next 1 MiB boundary (each a mutating call, torn by sector like any
 * positional write), and is then a mutating call of its own, the copy into the mapping. Dirty mapped pages
 * reach the disk whole and each in its own time, so at the power loss each 4 KiB page that copies touched
 * since the last fsync holds what it held after a random number of those copies (none: it never left
 * memory), independently of its neighbours. The bytes themselves go to the real file by system calls: what
 * is modelled is what the log can observe, and what a power loss can leave.
 */
public final class PowerLossFileIO implements FileIO {

    static final int SECTOR = 512;
    /** The unit in which dirty mapped pages are written back. */
    static final int PAGE = 4096;
    /** How far ahead of mapped copies zeros are written, as the production handle does. */
    static final long RESERVATION_CHUNK = 1024 * 1024;

    private final boolean mapsForWriting;

    private final FileIO real = FileIO.standard();
    // Everything below is guarded by this.
    private final Map<Path, FileState> files = new LinkedHashMap<>();
    private final List<DirectoryOp> unsyncedDirectoryOps = new ArrayList<>();
    private long mutatingCalls;
    private long mappedCopies;
    private long filesWithPagesOutOfOrder;
    private long cutAt = Long.MAX_VALUE;
    private boolean dead;

    /** A simulation whose handles refuse {@link FileHandle#mapForWriting}, as the default does. */
    public PowerLossFileIO() {
        this(false);
    }

    private PowerLossFileIO(boolean mapsForWriting) {
        this.mapsForWriting = mapsForWriting;
    }

    /** A simulation whose handles accept {@link FileHandle#mapForWriting}: see the class comment. */
    public static PowerLossFileIO mappingForWriting() {
        return new PowerLossFileIO(true);
    }

    /** Per file: the durable image and what has been done to it since. */
    private static final class FileState {
        byte[] durable = new byte[0];
        final List<Object> unsynced = new ArrayList<>(); // Write or Long (a truncation)
    }

    /** An unsynced write; {@code mapped} if it was a copy into a mapping, which reaches the disk by page. */
    private record Write(long offset, byte[] bytes, boolean mapped) {
    }

    /**
     * One unsynced directory change: {@code created} appeared (replacing {@code replaced}, if any) and
     * {@code deleted} disappeared (with its content {@code deletedState}). A rename is both at once.
     */
    private record DirectoryOp(Path created, FileState replaced, Path deleted, FileState deletedState) {
    }

    /** The {@code n}th mutating call from the start (1-based) fails, and so does every call after it. */
    public synchronized void cutPowerAtCall(long n) {
        cutAt = n;
    }

    /** How many mutating calls (create, write, force, truncate, move, delete, directory sync) were made. */
    public synchronized long mutatingCalls() {
        return mutatingCalls;
    }

    /** How many writes were copies into a mapping. */
    public synchronized long mappedCopies() {
        return mappedCopies;
    }

    public synchronized boolean powerWasCut() {
        return dead;
    }

    private synchronized void mutating(String what) throws IOException {
        if (dead) {
            throw new IOException("simulated power loss: " + what + " after the power went out");
        }
        mutatingCalls++;
        if (mutatingCalls >= cutAt) {
            dead = true;
            if (!what.startsWith("write")) {
                throw new IOException("simulated power loss during " + what);
            }
        }
    }

    private synchronized void checkAlive(String what) throws IOException {
        if (dead) {
            throw new IOException("simulated power loss: " + what + " after the power went out");
        }
    }

    /**
     * Replaces the directory's real contents with one possible post-power-loss state. Call it once the code
     * under test has stopped touching the files.
     */
    public synchronized void powerLoss(Random random) throws IOException {
        dead = true;
        int keptOps = unsyncedDirectoryOps.isEmpty() ? 0 : random.nextInt(unsyncedDirectoryOps.size() + 1);
        Map<Path, FileState> survivors = new HashMap<>(files);
        for (int i = unsyncedDirectoryOps.size() - 1; i >= keptOps; i--) {
            DirectoryOp op = unsyncedDirectoryOps.get(i);
            if (op.created() != null) {
                if (op.replaced() == null) {
                    survivors.remove(op.created());
                } else {
                    survivors.put(op.created(), op.replaced());
                }
            }
            if (op.deleted() != null) {
                survivors.put(op.deleted(), op.deletedState());
            }
        }
        for (Path path : files.keySet()) {
            if (!survivors.containsKey(path)) {
                Files.deleteIfExists(path);
            }
        }
        for (Map.Entry<Path, FileState> entry : survivors.entrySet()) {
            Files.write(entry.getKey(), imageAfterPowerLoss(entry.getValue(), random, this));
        }
        files.clear();
        unsyncedDirectoryOps.clear();
    }

    /**
     * How many files a power loss left with a mapped page written back past one that was not (a later page
     * kept some of its copies while an earlier page lost some of its own): the out-of-order damage that only
     * mapped writes make here.
     */
    public synchronized long filesWithPagesOutOfOrder() {
        return filesWithPagesOutOfOrder;
    }

    private static byte[] imageAfterPowerLoss(FileState state, Random random, PowerLossFileIO io) {
        // For each page that mapped copies dirtied: how many of those copies (in order) reached the disk.
        Map<Long, Integer> copiesPerPage = new TreeMap<>();
        for (Object op : state.unsynced) {
            if (op instanceof Write write && write.mapped()) {
                for (long page : pages(write)) {
                    copiesPerPage.merge(page, 1, Integer::sum);
                }
            }
        }
        Map<Long, Integer> survivingCopies = new HashMap<>();
        boolean lostOne = false;
        boolean outOfOrder = false;
        for (Map.Entry<Long, Integer> page : copiesPerPage.entrySet()) { // in page order
            int surviving = random.nextInt(page.getValue() + 1);
            survivingCopies.put(page.getKey(), surviving);
            outOfOrder |= lostOne && surviving > 0;
            lostOne |= surviving < page.getValue();
        }
        if (outOfOrder) {
            io.filesWithPagesOutOfOrder++;
        }
        Map<Long, Integer> copiesSeen = new HashMap<>();
        byte[] image = state.durable.clone();
        for (Object op : state.unsynced) {
            if (op instanceof Long truncation) {
                if (random.nextBoolean()) {
                    image = Arrays.copyOf(image, (int) (long) truncation);
                }
                continue;
            }
            Write write = (Write) op;
            long end = write.offset() + write.bytes().length;
            if (write.mapped()) {
                for (long page : pages(write)) {
                    if (copiesSeen.merge(page, 1, Integer::sum) <= survivingCopies.get(page)) {
                        image = copy(write, page * PAGE, (page + 1) * PAGE, image);
                    }
                }
                continue;
            }
            for (long sector = write.offset() / SECTOR * SECTOR; sector < end; sector += SECTOR) {
                if (!random.nextBoolean()) {
                    continue;
                }
                image = copy(write, sector, sector + SECTOR, image);
            }
        }
        return image;
    }

    /** The pages a write touches. */
    private static long[] pages(Write write) {
        long first = write.offset() / PAGE;
        long last = (write.offset() + write.bytes().length - 1) / PAGE;
        return LongStream.rangeClosed(first, last).toArray();
    }

    /** Applies the part of {@code write} within {@code [start, end)} to the image, growing it if needed. */
    private static byte[] copy(Write write, long start, long end, byte[] image) {
        long from = Math.max(start, write.offset());
        long to = Math.min(end, write.offset() + write.bytes().length);
        if (from >= to) {
            return image;
        }
        byte[] grown = image.length < to ? Arrays.copyOf(image, (int) to) : image;
        System.arraycopy(write.bytes(), (int) (from - write.offset()), grown, (int) from, (int) (to - from));
        return grown;
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        FileState state;
        if (mode == OpenMode.CREATE_NEW) {
            mutating("create " + path.getFileName());
            FileHandle handle = real.open(path, mode);
            synchronized (this) {
                state = new FileState();
                files.put(path, state);
                unsyncedDirectoryOps.add(new DirectoryOp(path, null, null, null));
            }
            return new SimulatedHandle(path, handle, state);
        }
        checkAlive("open " + path.getFileName());
        FileHandle handle = real.open(path, mode);
        synchronized (this) {
            state = files.get(path);
            if (state == null) {
                // A file from before the simulation started: all of it is durable.
                state = new FileState();
                state.durable = Files.readAllBytes(path);
                files.put(path, state);
            }
        }
        return new SimulatedHandle(path, handle, state);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        mutating("move " + source.getFileName());
        real.move(source, target);
        synchronized (this) {
            FileState moved = files.remove(source);
            FileState replaced = files.put(target, moved);
            unsyncedDirectoryOps.add(new DirectoryOp(target, replaced, source, moved));
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        mutating("directory sync");
        synchronized (this) {
            unsyncedDirectoryOps.clear();
        }
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        checkAlive("list");
        return real.list(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        mutating("delete " + path.getFileName());
        real.delete(path);
        synchronized (this) {
            FileState state = files.remove(path);
            if (state != null) {
                unsyncedDirectoryOps.add(new DirectoryOp(null, null, path, state));
            }
        }
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        checkAlive("create directories");
        real.createDirectories(directory);
    }

    private final class SimulatedHandle implements FileHandle {
        private final Path path;
        private final FileHandle handle;
        private final FileState state;
        // Guarded by this handle. Writes that end at or below mappedSize are copies into the mapping (0: none).
        private long mappedSize;
        /** Bytes below this were written, zeros or data, by positional writes since the mapping was made. */
        private long reservedEnd;

        SimulatedHandle(Path path, FileHandle handle, FileState state) {
            this.path = path;
            this.handle = handle;
            this.state = state;
        }

        @Override
        public synchronized void write(ByteBuffer source, long position) throws IOException {
            int length = source.remaining();
            if (position + length > mappedSize) {
                mutating("write " + path.getFileName());
                positionalWrite(source, position, false);
                return;
            }
            if (position + length > reservedEnd) {
                // As the production handle does: zeros through the file system up to the chunk boundary past
                // the copy, so that a full disk fails a write rather than a copy.
                long to = Math.min(mappedSize, ((position + length) / RESERVATION_CHUNK + 1) * RESERVATION_CHUNK);
                for (long at = Math.max(reservedEnd, position); at < to; at += RESERVATION_CHUNK) {
                    mutating("write of zeros ahead of the mapped copies into " + path.getFileName());
                    positionalWrite(ByteBuffer.allocate((int) Math.min(RESERVATION_CHUNK, to - at)), at, false);
                }
                reservedEnd = to;
            }
            mutating("write through the mapping of " + path.getFileName());
            positionalWrite(source, position, true);
        }

        /** Writes to the real file and records the write as unsynced; fails if the power went out meanwhile. */
        private void positionalWrite(ByteBuffer source, long position, boolean mapped) throws IOException {
            byte[] bytes = new byte[source.remaining()];
            source.duplicate().get(bytes);
            handle.write(source, position);
            synchronized (PowerLossFileIO.this) {
                state.unsynced.add(new Write(position, bytes, mapped));
                if (mapped) {
                    mappedCopies++;
                }
                if (dead) {
                    throw new IOException("simulated power loss during write to " + path.getFileName());
                }
            }
        }

        @Override
        public synchronized boolean mapForWriting(long size) throws IOException {
            if (!mapsForWriting) {
                return false;
            }
            mutating("map " + path.getFileName());
            if (handle.size() < size) {
                // Grown sparsely with one byte at the new end, as the production handle grows it.
                positionalWrite(ByteBuffer.allocate(1), size - 1, false);
            }
            mappedSize = size;
            reservedEnd = 0;
            return true;
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            checkAlive("read " + path.getFileName());
            return handle.read(destination, position);
        }

        @Override
        public long size() throws IOException {
            checkAlive("size of " + path.getFileName());
            return handle.size();
        }

        @Override
        public void force() throws IOException {
            mutating("force " + path.getFileName());
            // No real fsync: durability is what this class says it is, and tests stay fast.
            synchronized (PowerLossFileIO.this) {
                state.durable = Files.readAllBytes(path);
                state.unsynced.clear();
            }
        }

        @Override
        public synchronized void truncate(long size) throws IOException {
            mappedSize = 0; // truncation ends mapped writing, even when it fails
            mutating("truncate " + path.getFileName());
            handle.truncate(size);
            synchronized (PowerLossFileIO.this) {
                state.unsynced.add(size);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            mappedSize = 0;
            handle.close();
        }
    }
}
