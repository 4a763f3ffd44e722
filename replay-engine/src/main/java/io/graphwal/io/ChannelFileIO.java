package io.graphwal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** {@link FileIO} over {@link FileChannel}; files and directories it creates are owner-only on POSIX. */
final class ChannelFileIO implements FileIO {

    static final ChannelFileIO INSTANCE = new ChannelFileIO();

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /**
     * Whether an fsync of a file also makes durable what was written into it through a shared mapping, which
     * is what {@link FileHandle#mapForWriting} relies on. Linux keeps one page cache for both and tracks pages
     * dirtied through mappings, so its fsync covers them whether or not they are still mapped; the JDK does not
     * promise it in general, so elsewhere writes stay system calls.
     */
    private static final boolean MAPPED_WRITES_FORCED_BY_FSYNC =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static final FileAttribute<?>[] OWNER_FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] OWNER_DIRECTORY = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private ChannelFileIO() {
    }

    @Override
    public FileHandle open(Path path, OpenMode mode) throws IOException {
        Set<OpenOption> options = switch (mode) {
            case CREATE_NEW -> Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            case READ_WRITE -> Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
            case READ -> Set.of(StandardOpenOption.READ);
        };
        FileAttribute<?>[] attributes = mode == OpenMode.CREATE_NEW ? OWNER_FILE : new FileAttribute<?>[0];
        return new ChannelHandle(FileChannel.open(path, options, attributes));
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        if (!POSIX) {
            // Windows cannot open a directory as a channel; NTFS makes metadata durable with the file.
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return new ArrayList<>(entries.toList());
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory, OWNER_DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /**
     * A pending interrupt makes a {@code FileChannel} call close the channel, which would poison the log for a
     * reason that has nothing to do with the disk; each call therefore runs with the flag cleared and restores
     * it afterwards.
     *
     * <p><b>Mapped writes.</b> Once {@linkplain #mapForWriting mapped}, a write inside the mapped size is a copy
     * into the <em>window</em>, one mapping from a little before the write to the end of the mapped size (a
     * large mapping, because the kernel maps a large mapping's pages many at a time on a fault, which made
     * copies into it ten times as fast here as into 1 MiB windows). {@link #force()} first releases the window
     * and the next write maps a new one: writing back a page that is still mapped means write-protecting it in
     * every CPU's page tables, a TLB shootdown per page that cost as much as the appends themselves when a
     * flusher fsynced every few milliseconds, while the pages of a released window are plain page cache. The
     * window lock serialises the writer's copies with that release (invoking the JDK's cleaner on a buffer
     * another thread is copying into would crash the JVM); it is held for a copy, an unmap or the zero-fill
     * ahead of the copies, never for an fsync. A copy that faults makes the JVM raise an {@link InternalError}
     * in the copying thread; where it is raised inside the copy it is turned into the {@link IOException} any
     * failed write gives (see {@link FileHandle#mapForWriting} for where else it can surface).
     */
    private static final class ChannelHandle implements FileHandle {
        /** Windows start at multiples of this, the coarsest mapping granularity of any platform. */
        private static final long WINDOW_ALIGNMENT = 64 * 1024;
        /** How far ahead of mapped copies zeros are written. */
        private static final long RESERVATION_CHUNK = 1024 * 1024;

        private final FileChannel channel;
        private final Object windowLock = new Object();
        // Guarded by windowLock.
        /** Writes that end at or below this go through the window; 0 when not mapped. */
        private long mappedSize;
        private FileMapping window;
        private long windowStart;
        /** Bytes below this were written (zeros or data) through the file system. */
        private long reservedEnd;

        ChannelHandle(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            int length = source.remaining();
            synchronized (windowLock) {
                if (position + length <= mappedSize) {
                    copyIntoWindow(source, position, length);
                    return;
                }
            }
            boolean interrupted = Thread.interrupted();
            try {
                long at = position;
                while (source.hasRemaining()) {
                    at += channel.write(source, at);
                }
            } finally {
                restore(interrupted);
            }
        }

        /** Called under the window lock with a write that ends within the mapped size. */
        private void copyIntoWindow(ByteBuffer source, long position, int length) throws IOException {
            if (position + length > reservedEnd) {
                reserve(position, position + length);
            }
            if (window == null || position < windowStart) {
                releaseWindow();
                long start = position - position % WINDOW_ALIGNMENT;
                boolean interrupted = Thread.interrupted();
                try {
                    window = FileMapping.map(channel, start, mappedSize - start);
                } finally {
                    restore(interrupted);
                }
                windowStart = start;
            }
            try {
                window.buffer().put((int) (position - windowStart), source, source.position(), length);
            } catch (InternalError e) {
                throw new IOException("A write of " + length + " bytes at offset " + position + " through the "
                        + "file's memory mapping failed (the disk may be full, or the file was cut short under "
                        + "the mapping): " + e.getMessage(), e);
            }
            source.position(source.limit());
        }

        /**
         * Writes zeros through the file system from the reserved end (or {@code position}, the first time) to
         * the next chunk boundary past {@code needed}, so that the file system has allocated (or, delaying
         * allocation, reserved) the blocks the copies will dirty: a full disk then fails this write with an
         * {@code IOException}, instead of a later copy with a fault. It also makes copies faster, as they then
         * land on pages already in the page cache.
         */
        private void reserve(long position, long needed) throws IOException {
            long to = Math.min(mappedSize, (needed / RESERVATION_CHUNK + 1) * RESERVATION_CHUNK);
            ByteBuffer zeros = Zeros.CHUNK.duplicate();
            boolean interrupted = Thread.interrupted();
            try {
                for (long at = Math.max(reservedEnd, position); at < to; ) {
                    zeros.clear().limit((int) Math.min(RESERVATION_CHUNK, to - at));
                    at += channel.write(zeros, at);
                }
            } finally {
                restore(interrupted);
            }
            reservedEnd = to;
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                return channel.read(destination, position);
            } finally {
                restore(interrupted);
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void force() throws IOException {
            synchronized (windowLock) {
                releaseWindow();
            }
            boolean interrupted = Thread.interrupted();
            try {
                channel.force(false);
            } finally {
                restore(interrupted);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (windowLock) {
                releaseWindow();
                mappedSize = 0;
            }
            boolean interrupted = Thread.interrupted();
            try {
                channel.truncate(size);
            } finally {
                restore(interrupted);
            }
        }

        @Override
        public boolean mapForWriting(long size) throws IOException {
            if (!MAPPED_WRITES_FORCED_BY_FSYNC || size > Integer.MAX_VALUE) {
                return false; // one window addresses at most 2 GiB
            }
            boolean interrupted = Thread.interrupted();
            try {
                if (channel.size() < size) {
                    // Grow the file once, sparsely, so that a window never reaches past its end and no fsync
                    // carries a size change.
                    channel.write(ByteBuffer.allocate(1), size - 1);
                }
            } finally {
                restore(interrupted);
            }
            synchronized (windowLock) {
                releaseWindow();
                mappedSize = size;
                reservedEnd = 0;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            synchronized (windowLock) {
                releaseWindow();
                mappedSize = 0;
            }
            channel.close();
        }

        /** One chunk of zeros, made on first use and shared: each reservation reads it through a duplicate. */
        private static final class Zeros {
            static final ByteBuffer CHUNK = ByteBuffer.allocateDirect((int) RESERVATION_CHUNK);
        }

        /** Called under the window lock. */
        private void releaseWindow() {
            FileMapping mapped = window;
            if (mapped != null) {
                window = null;
                mapped.release();
            }
        }

        private static void restore(boolean interrupted) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
