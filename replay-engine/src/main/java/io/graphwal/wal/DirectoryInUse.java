package io.graphwal.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Finds out, for a reader that must not disturb it, whether a running log holds a directory's lock.
 *
 * <p>It never takes the lock where it can avoid it, in this order: a log of this JVM is found in the
 * lock's registry, without opening the lock file at all (closing any channel on it would drop that log's
 * lock); no lock file means no log ever opened the directory; on Linux the kernel's table of file locks,
 * {@code /proc/locks}, names the lock file's inode if any process holds a lock on it. Only where that table
 * is unavailable does it try a shared lock on the file, opened for reading, and let go of it at once: a log
 * starting in exactly that instant would be refused as if the directory were in use, which a retry fixes,
 * and a log that is running is never affected.
 */
final class DirectoryInUse {

    private static final Path KERNEL_LOCKS = Path.of("/proc/locks");

    private DirectoryInUse() {
    }

    /**
     * Probes the directory's lock.
     *
     * @param directory an existing directory
     * @return the holder's description ("pid 4242 on host, ..."), "unknown holder" if it cannot be read, or
     *     {@code null} if no running log holds the directory
     */
    static String holder(Path directory) {
        Path real;
        try {
            real = directory.toRealPath();
        } catch (IOException e) {
            return null;
        }
        String inThisJvm = DirectoryLock.holderInThisJvm(real);
        if (inThisJvm != null) {
            return inThisJvm;
        }
        Path file = real.resolve(DirectoryLock.FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Boolean locked = lockedPerKernel(file);
        if (locked == null) {
            locked = lockedPerProbe(file);
        }
        if (!locked) {
            return null;
        }
        // This process holds no lock on the file (the registry said so), so reading it drops nothing.
        String holder = DirectoryLock.readHolder(file);
        return holder.isEmpty() ? "unknown holder" : holder;
    }

    /** Whether {@code /proc/locks} lists a lock on the file's inode; {@code null} if it cannot tell. */
    private static Boolean lockedPerKernel(Path file) {
        if (!Files.isReadable(KERNEL_LOCKS)) {
            return null;
        }
        long inode;
        List<String> lines;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            lines = Files.readAllLines(KERNEL_LOCKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
        // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF", with "->" before the type for a waiter. The
        // device numbers are left out of the match: on overlay file systems stat() and the lock table can
        // name different devices for one file, and a false match only makes the reader more careful.
        String suffix = ":" + inode;
        for (String line : lines) {
            for (String field : line.trim().split("\\s+")) {
                if (field.endsWith(suffix) && field.chars().filter(c -> c == ':').count() == 2
                        && field.indexOf(':') > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lockedPerProbe(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false; // cannot tell: judge the files as they are, as on a stopped directory
        }
    }
}
