package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where archived objects go: a flat namespace of immutable objects, each written whole or not at all. The
 * engine ships a file-system target ({@link DirectoryArchiveTarget}); the {@code wal-archive-s3} module ships
 * one for S3 and S3-compatible stores.
 *
 * <p>Names are relative, use {@code /} as separator and consist of ASCII letters, digits and {@code .-_/};
 * a target maps them onto its own namespace (a directory, a key prefix). An implementation must be
 * thread-safe, must never expose a partly written object under its name (a reader sees the whole object or
 * nothing), and reports every failure as an {@link IOException} naming the target and the object: the
 * archiver retries, the log never fails because of it.
 */
public interface ArchiveTarget extends AutoCloseable {

    /**
     * Describes the target for operators, as a restore's {@code --from} would name it: {@code file:DIR} or
     * {@code s3://BUCKET/PREFIX}.
     *
     * @return the description
     */
    String describe();

    /**
     * Stores an object under {@code name}, replacing nothing: archived objects are immutable, so an existing
     * object of that name holds the same bytes (a retried upload) and may be overwritten with them.
     *
     * @param name the object's name
     * @param content its bytes, which the target may read more than once (each retry opens them again)
     * @throws IOException if it was not stored
     */
    void put(String name, ObjectContent content) throws IOException;

    /**
     * Lists the objects whose names start with {@code prefix}, in name order.
     *
     * @param prefix a name prefix, possibly empty
     * @return the objects, each with its name and size
     * @throws IOException if the listing failed
     */
    List<StoredObject> list(String prefix) throws IOException;

    /**
     * Opens an object for reading.
     *
     * @param name the object's name
     * @return its bytes, which the caller closes
     * @throws java.nio.file.NoSuchFileException if there is no such object
     * @throws IOException if it cannot be read
     */
    InputStream get(String name) throws IOException;

    /**
     * Deletes an object; deleting one that does not exist is not an error.
     *
     * @param name the object's name
     * @throws IOException if it could not be deleted
     */
    void delete(String name) throws IOException;

    /** Releases what the target holds (connections, threads). The default holds nothing. */
    @Override
    default void close() throws IOException {
    }

    /**
     * The bytes of an object to store, known in length before they are read.
     */
    interface ObjectContent {

        /**
         * Returns how many bytes {@link #open()} yields.
         *
         * @return the length
         */
        long length();

        /**
         * Opens the bytes from the start; may be called again for a retry.
         *
         * @return a stream of exactly {@link #length()} bytes, which the caller closes
         * @throws IOException if they cannot be read
         */
        InputStream open() throws IOException;

        /**
         * Content held in memory.
         *
         * @param bytes the bytes, not copied
         * @return the content
         */
        static ObjectContent of(byte[] bytes) {
            return new ObjectContent() {
                @Override
                public long length() {
                    return bytes.length;
                }

                @Override
                public InputStream open() {
                    return new java.io.ByteArrayInputStream(bytes);
                }
            };
        }
    }

    /**
     * An object in a listing.
     *
     * @param name its name, relative to the target
     * @param size its size in bytes
     */
    record StoredObject(String name, long size) {
    }
}
