package io.graphwal.wal;

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
import java.util.Set;
import java.util.stream.Stream;

/** {@link FileIO} over {@link FileChannel}; files and directories it creates are owner-only on POSIX. */
final class ChannelFileIO implements FileIO {

    static final ChannelFileIO INSTANCE = new ChannelFileIO();

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
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
     */
    private static final class ChannelHandle implements FileHandle {
        private final FileChannel channel;

        ChannelHandle(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
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
            boolean interrupted = Thread.interrupted();
            try {
                channel.force(false);
            } finally {
                restore(interrupted);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            boolean interrupted = Thread.interrupted();
            try {
                channel.truncate(size);
            } finally {
                restore(interrupted);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        private static void restore(boolean interrupted) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
