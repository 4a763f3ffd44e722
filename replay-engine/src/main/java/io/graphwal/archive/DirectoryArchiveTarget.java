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
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An archive in a directory, typically on another disk or a network mount: each object is a file whose path
 * below the directory is the object's name.
 *
 * <p>An object is written to a temporary file beside its final name ({@code .NAME.UUID.tmp}, never listed),
 * fsynced, renamed over the name and followed by an fsync of its directory, so that a crash leaves either the
 * whole object or none, and a stored object survives the loss of power. Listings skip the temporary files a
 * crash leaves behind; they never hold the only copy of anything and may be deleted by hand.
 *
 * <p>Objects are written past the page cache ({@code O_DIRECT}) where the file system allows it: an archive
 * is written once and read back only by a restore, so caching it only takes memory from the application's
 * own files, and on this project's build machine allocating those pages was most of the archive's CPU cost
 * (its first touch of each new page). Where the file system refuses direct writes, at the open or at the
 * first write, the target logs it once and writes through the page cache from then on, in whole 1 MiB blocks.
 * Every object is fsynced either way. Thread-safe.
 */
public final class DirectoryArchiveTarget implements ArchiveTarget {

    private static final String TEMP_SUFFIX = ".tmp";
    /** The bytes one write hands the kernel; see {@link #copy}. */
    static final int WRITE_BLOCK = 1 << 20;

    /**
     * The alignment of direct writes' buffers, offsets and lengths: a file-system block here, and a multiple
     * of every device sector size in use.
     */
    static final int DIRECT_ALIGNMENT = 4096;

    private static final Logger log = LoggerFactory.getLogger(DirectoryArchiveTarget.class);

    private final Path root;
    private final AtomicReference<DirectBlock> spare = new AtomicReference<>();
    private volatile boolean direct;

    /**
     * Archives into {@code root}, which is created if missing.
     *
     * @param root the archive directory
     */
    public DirectoryArchiveTarget(Path root) {
        this(root, true);
    }

    /** Archives into {@code root}, past the page cache only if {@code direct} and the file system allows. */
    DirectoryArchiveTarget(Path root, boolean direct) {
        this.root = root.toAbsolutePath().normalize();
        this.direct = direct;
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
            try {
                write(temp, content, name);
            } catch (DirectWriteException e) {
                // The file system took the direct open but not the writes (some network and FUSE ones): this
                // put and every later one go through the page cache instead.
                direct = false;
                log.warn("GraphWAL archive {} cannot write past the page cache ({}); writing through it instead",
                        describe(), e.getCause().toString());
                Files.deleteIfExists(temp);
                write(temp, content, name);
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

    /** Writes and fsyncs the temporary file, directly where the file system allows it. */
    private void write(Path temp, ObjectContent content, String name) throws IOException {
        FileChannel channel = direct ? openDirect(temp) : null;
        boolean directly = channel != null;
        if (!directly) {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        try (FileChannel file = channel; InputStream in = content.open()) {
            long copied = copy(in, file, directly);
            if (copied != content.length()) {
                throw new IOException("object " + name + " yielded " + copied + " bytes instead of "
                        + content.length());
            }
            file.force(true);
        }
    }

    /** Opens the temporary file past the page cache, or returns null (for good) where that is not possible. */
    private FileChannel openDirect(Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
        } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                throw (IOException) e;
            }
            Files.deleteIfExists(temp);
            direct = false;
            log.info("GraphWAL archive {} writes through the page cache: {}", describe(), e.toString());
            return null;
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
     * Copies an object's bytes into its file in whole 1 MiB blocks, which {@code readNBytes} fills across the
     * stream's pieces, so every write but the last is whole and starts on a page boundary. Through the page
     * cache that matters too: a write that does not cover a new page entirely makes the kernel zero the rest
     * of it first, and copying a stream as it comes (a header of a few dozen bytes, then 8 KiB pieces) measured
     * four times the kernel time of whole blocks. A direct write also needs an aligned buffer and length: the
     * last block is padded with zeros and the file then cut to the object's length. Only a failed direct write
     * becomes a {@link DirectWriteException}; a failed read of the content stays what it is.
     */
    private long copy(InputStream in, FileChannel channel, boolean directly) throws IOException {
        DirectBlock block = spare.getAndSet(null);
        if (block == null) {
            block = new DirectBlock();
        }
        try {
            long copied = 0;
            for (int n; (n = in.readNBytes(block.bytes, 0, WRITE_BLOCK)) > 0; ) {
                int length = directly ? (n + DIRECT_ALIGNMENT - 1) / DIRECT_ALIGNMENT * DIRECT_ALIGNMENT : n;
                ByteBuffer bytes;
                if (directly) {
                    java.util.Arrays.fill(block.bytes, n, length, (byte) 0);
                    bytes = block.aligned.clear().put(block.bytes, 0, length).flip();
                } else {
                    bytes = ByteBuffer.wrap(block.bytes, 0, n);
                }
                try {
                    while (bytes.hasRemaining()) {
                        channel.write(bytes, copied + bytes.position());
                    }
                    if (length != n) {
                        channel.truncate(copied + n);
                    }
                } catch (IOException e) {
                    throw directly ? new DirectWriteException(e) : e;
                }
                copied += n;
                if (n < WRITE_BLOCK) {
                    break; // readNBytes stops short only at the end of the stream
                }
            }
            return copied;
        } finally {
            spare.set(block);
        }
    }

    /** Whether puts still go past the page cache: true until the file system refused it once. */
    boolean writesDirectly() {
        return direct;
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

    /** One put's staging memory: the stream's bytes, and an aligned copy of them for a direct write. */
    private static final class DirectBlock {
        final byte[] bytes = new byte[WRITE_BLOCK];
        final ByteBuffer aligned = ByteBuffer.allocateDirect(WRITE_BLOCK + DIRECT_ALIGNMENT)
                .alignedSlice(DIRECT_ALIGNMENT);
    }

    /** A direct write the file system refused, which a write through the page cache may still manage. */
    private static final class DirectWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        DirectWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
