package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An archive in a directory, typically on another disk or a network mount: each object is a file whose path
 * below the directory is the object's name.
 *
 * <p>An object is written to a temporary file beside its final name ({@code .NAME.UUID.tmp}, never listed),
 * fsynced, renamed over the name and followed by an fsync of its directory, so that a crash leaves either the
 * whole object or none, and a stored object survives the loss of power. Listings skip the temporary files a
 * crash leaves behind; they never hold the only copy of anything and may be deleted by hand.
 */
public final class DirectoryArchiveTarget implements ArchiveTarget {

    private static final String TEMP_SUFFIX = ".tmp";
    /** The bytes one write hands the kernel; see {@link #copy}. */
    static final int WRITE_BLOCK = 1 << 20;

    private final Path root;

    /**
     * Archives into {@code root}, which is created if missing.
     *
     * @param root the archive directory
     */
    public DirectoryArchiveTarget(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public void put(String name, ObjectContent content) throws IOException {
        Path target = resolve(name);
        Path parent = target.getParent();
        createDirectories(parent);
        Path temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    InputStream in = content.open()) {
                long copied = copy(in, channel, content.length());
                if (copied != content.length()) {
                    throw new IOException("object " + name + " yielded " + copied + " bytes instead of "
                            + content.length());
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the archive directory " + root + " cannot rename files atomically; "
                        + "choose a directory on a local or POSIX file system", e);
            }
            syncDirectory(parent);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot store " + name + " in " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        List<StoredObject> objects = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return objects;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String fileName = file.getFileName().toString();
                if (!Files.isRegularFile(file) || fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX)) {
                    continue;
                }
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (name.startsWith(prefix)) {
                    objects.add(new StoredObject(name, Files.size(file)));
                }
            }
        } catch (IOException e) {
            throw new IOException("cannot list " + describe() + ": " + e.getMessage(), e);
        }
        objects.sort((a, b) -> a.name().compareTo(b.name()));
        return objects;
    }

    @Override
    public InputStream get(String name) throws IOException {
        Path file = resolve(name);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(describe() + "/" + name, null, "no such archived object");
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path file = resolve(name);
        try {
            if (Files.deleteIfExists(file)) {
                syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new IOException("cannot delete " + name + " from " + describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies an object's bytes into its file in whole blocks. A write that does not cover a new file page
     * entirely makes the kernel zero the rest of that page first; copying a stream as it comes (a header of a
     * few dozen bytes, then 8 KiB pieces) does that for nearly every page and measured four times the kernel
     * time of 1 MiB writes from the start of the file. {@code readNBytes} fills each block across the
     * stream's pieces, so every write but the last is whole and starts on a page boundary.
     */
    private static long copy(InputStream in, FileChannel channel, long expected) throws IOException {
        byte[] block = new byte[(int) Math.max(1, Math.min(WRITE_BLOCK, expected))];
        long copied = 0;
        for (int n; (n = in.readNBytes(block, 0, block.length)) > 0; ) {
            ByteBuffer bytes = ByteBuffer.wrap(block, 0, n);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            copied += n;
        }
        return copied;
    }

    private Path resolve(String name) {
        ArchiveNames.check(name);
        return root.resolve(name);
    }

    private void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        // Each new directory is fsynced from its parent, so the renamed object's path survives a crash too.
        Path parent = directory.getParent();
        if (parent != null && !parent.equals(directory)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(directory);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
