package io.graphwal.wal;

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
 */
final class PowerLossFileIO implements FileIO {

    static final int SECTOR = 512;

    private final FileIO real = FileIO.standard();
    // Everything below is guarded by this.
    private final Map<Path, FileState> files = new LinkedHashMap<>();
    private final List<DirectoryOp> unsyncedDirectoryOps = new ArrayList<>();
    private long mutatingCalls;
    private long cutAt = Long.MAX_VALUE;
    private boolean dead;

    /** Per file: the durable image and what has been done to it since. */
    private static final class FileState {
        byte[] durable = new byte[0];
        final List<Object> unsynced = new ArrayList<>(); // Write or Long (a truncation)
    }

    private record Write(long offset, byte[] bytes) {
    }

    /**
     * One unsynced directory change: {@code created} appeared (replacing {@code replaced}, if any) and
     * {@code deleted} disappeared (with its content {@code deletedState}). A rename is both at once.
     */
    private record DirectoryOp(Path created, FileState replaced, Path deleted, FileState deletedState) {
    }

    /** The {@code n}th mutating call from the start (1-based) fails, and so does every call after it. */
    synchronized void cutPowerAtCall(long n) {
        cutAt = n;
    }

    /** How many mutating calls (create, write, force, truncate, move, delete, directory sync) were made. */
    synchronized long mutatingCalls() {
        return mutatingCalls;
    }

    synchronized boolean powerWasCut() {
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
    synchronized void powerLoss(Random random) throws IOException {
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
            Files.write(entry.getKey(), imageAfterPowerLoss(entry.getValue(), random));
        }
        files.clear();
        unsyncedDirectoryOps.clear();
    }

    private static byte[] imageAfterPowerLoss(FileState state, Random random) {
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
            for (long sector = write.offset() / SECTOR * SECTOR; sector < end; sector += SECTOR) {
                if (!random.nextBoolean()) {
                    continue;
                }
                long from = Math.max(sector, write.offset());
                long to = Math.min(sector + SECTOR, end);
                if (image.length < to) {
                    image = Arrays.copyOf(image, (int) to);
                }
                System.arraycopy(write.bytes(), (int) (from - write.offset()), image, (int) from, (int) (to - from));
            }
        }
        return image;
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

        SimulatedHandle(Path path, FileHandle handle, FileState state) {
            this.path = path;
            this.handle = handle;
            this.state = state;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            mutating("write " + path.getFileName());
            byte[] bytes = new byte[source.remaining()];
            source.duplicate().get(bytes);
            handle.write(source, position);
            synchronized (PowerLossFileIO.this) {
                state.unsynced.add(new Write(position, bytes));
                if (dead) {
                    throw new IOException("simulated power loss during write to " + path.getFileName());
                }
            }
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
        public void truncate(long size) throws IOException {
            mutating("truncate " + path.getFileName());
            handle.truncate(size);
            synchronized (PowerLossFileIO.this) {
                state.unsynced.add(size);
            }
        }

        @Override
        public void close() throws IOException {
            handle.close();
        }
    }
}
