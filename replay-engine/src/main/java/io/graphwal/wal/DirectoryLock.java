package io.graphwal.wal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of a log directory: an OS file lock on {@value #FILE_NAME}, plus a registry of the
 * directories this JVM holds.
 *
 * <p>The registry is checked first and is what refuses a second opener inside this JVM. It is not only a
 * convenience: POSIX record locks belong to the process, and closing any channel on the lock file would
 * silently drop the lock the first opener holds, so a second opener here must never open the file at all.
 * The lock file holds a line describing the holder, which a refused opener in another process reports.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "graphwal.lock";

    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails at once.
     *
     * @param directory an existing directory
     * @return the held lock
     * @throws WalLockedException if another log holds it
     * @throws IOException if the lock file cannot be opened
     */
    static DirectoryLock acquire(Path directory) throws IOException {
        Path key = directory.toRealPath();
        String holder = describeThisHolder();
        String previous = HELD_IN_THIS_JVM.putIfAbsent(key, holder);
        if (previous != null) {
            throw new WalLockedException("The GraphWAL directory " + key + " is already open in this JVM ("
                    + previous + "). Close that log first, or give each log its own directory.");
        }
        FileChannel channel = null;
        try {
            Path file = key.resolve(FILE_NAME);
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), ownerOnly());
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String other = readHolder(file);
                throw new WalLockedException("The GraphWAL directory " + key + " is locked by another process"
                        + (other.isEmpty() ? "" : " (" + other + ")")
                        + ". Stop that process, or point this one at a different directory.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            HELD_IN_THIS_JVM.remove(key, holder);
            throw e;
        }
    }

    /**
     * Says whether a log in this JVM holds {@code directory}, without touching the lock file: opening and
     * closing a channel on it here would drop the holder's lock (see above).
     *
     * @param realDirectory the directory's real path
     * @return the holder's description, or {@code null} if no log in this JVM holds it
     */
    static String holderInThisJvm(Path realDirectory) {
        return HELD_IN_THIS_JVM.get(realDirectory);
    }

    /**
     * Reads the holder's description from a lock file. Only for a process that holds no lock on it: closing
     * the channel this opens drops every lock the calling process holds on the file.
     *
     * @return the description, or an empty string if it cannot be read
     */
    static String readHolder(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, 512), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    private static String describeThisHolder() {
        return "pid " + ProcessHandle.current().pid() + " on " + hostName() + ", JVM "
                + ManagementFactory.getRuntimeMXBean().getName() + ", thread " + Thread.currentThread().getName()
                + ", since " + Instant.now();
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "this host" : host;
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            try {
                channel.close();
            } finally {
                HELD_IN_THIS_JVM.remove(key);
            }
        }
    }
}
