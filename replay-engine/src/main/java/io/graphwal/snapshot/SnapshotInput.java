package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import io.graphwal.graph.ImageInput;
import io.graphwal.io.FileHandle;

/**
 * Reads the body of a snapshot written by {@link SnapshotOutput}, verifying each block's length and checksum
 * before handing out any of its bytes. Every read is bounded by what the current block holds, so damaged
 * lengths fail with {@link SnapshotCorruptException} (naming the file and offset) instead of allocating.
 * Not thread-safe.
 */
final class SnapshotInput implements ImageInput {

    private final FileHandle file;
    private final Path path;
    private final long fileSize;
    private final ByteBuffer block = ByteBuffer.allocateDirect(SnapshotOutput.BLOCK_SIZE)
            .order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer frame = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long position;
    private boolean ended;

    SnapshotInput(FileHandle file, Path path, long start) throws IOException {
        this.file = file;
        this.path = path;
        this.fileSize = file.size();
        this.position = start;
        block.limit(0);
    }

    /**
     * Reads one byte.
     *
     * @return the byte, 0 to 255
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public int readByte() throws IOException {
        need(1);
        return block.get() & 0xFF;
    }

    /**
     * Reads an int.
     *
     * @return the int
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public int readInt() throws IOException {
        need(4);
        return block.getInt();
    }

    /**
     * Reads a long.
     *
     * @return the long
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public long readLong() throws IOException {
        need(8);
        return block.getLong();
    }

    /**
     * Reads a length-prefixed byte array of at most {@code maxLength} bytes.
     *
     * @param maxLength the largest length that makes sense here
     * @return the bytes, or null if null was written
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public byte[] readBytes(int maxLength) throws IOException {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > maxLength || length > bytesLeft()) {
            throw corrupt("byte array length " + length + " is impossible here");
        }
        byte[] value = new byte[length];
        int offset = 0;
        while (offset < length) {
            need(1);
            int n = Math.min(block.remaining(), length - offset);
            block.get(value, offset, n);
            offset += n;
        }
        return value;
    }

    /**
     * Moves past a length-prefixed byte array of at most {@code maxLength} bytes without keeping it, checking it
     * as {@link #readBytes} does.
     *
     * @param maxLength the largest length that makes sense here
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public void skipBytes(int maxLength) throws IOException {
        int length = readInt();
        if (length == -1) {
            return;
        }
        if (length < 0 || length > maxLength || length > bytesLeft()) {
            throw corrupt("byte array length " + length + " is impossible here");
        }
        int skipped = 0;
        while (skipped < length) {
            need(1);
            int n = Math.min(block.remaining(), length - skipped);
            block.position(block.position() + n);
            skipped += n;
        }
    }

    /**
     * Fills {@code values[from, from + count)} with longs.
     *
     * @param values the destination
     * @param from the first index
     * @param count how many
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public void readLongs(long[] values, int from, int count) throws IOException {
        int done = 0;
        while (done < count) {
            need(8);
            int n = Math.min(block.remaining() / 8, count - done);
            block.asLongBuffer().get(values, from + done, n);
            block.position(block.position() + n * 8);
            done += n;
        }
    }

    /**
     * Fills {@code values[from, from + count)} with ints.
     *
     * @param values the destination
     * @param from the first index
     * @param count how many
     * @throws IOException if the file cannot be read or is damaged
     */
    @Override
    public void readInts(int[] values, int from, int count) throws IOException {
        int done = 0;
        while (done < count) {
            need(4);
            int n = Math.min(block.remaining() / 4, count - done);
            block.asIntBuffer().get(values, from + done, n);
            block.position(block.position() + n * 4);
            done += n;
        }
    }

    /**
     * Returns at most how many body bytes are left to read, so a reader can refuse counts that the file
     * cannot hold before allocating for them.
     *
     * @return an upper bound of the bytes left
     */
    @Override
    public long bytesLeft() {
        return fileSize - position + block.remaining();
    }

    /**
     * Builds the exception for content that does not make sense, naming the file and offset.
     *
     * @param problem what is wrong
     * @return the exception to throw
     */
    @Override
    public SnapshotCorruptException corrupt(String problem) {
        return new SnapshotCorruptException(path, position, problem);
    }

    private void need(int bytes) throws IOException {
        if (block.remaining() >= bytes) {
            return;
        }
        if (block.hasRemaining()) {
            // Writers never split a value across blocks.
            throw corrupt("a value is split across blocks");
        }
        nextBlock();
        if (block.remaining() < bytes) {
            throw corrupt("block of " + block.remaining() + " bytes where " + bytes + " were expected");
        }
    }

    private void nextBlock() throws IOException {
        if (ended) {
            throw corrupt("read past the end of the snapshot body");
        }
        long blockStart = position;
        int length = readFrame();
        if (length < 0 || length > SnapshotOutput.BLOCK_SIZE || length > fileSize - position - 4) {
            throw new SnapshotCorruptException(path, blockStart, "block length " + length + " is impossible");
        }
        if (length == 0) {
            readFrame();
            ended = true;
            throw new SnapshotCorruptException(path, blockStart, "the body ended before the snapshot was complete");
        }
        block.clear().limit(length);
        while (block.hasRemaining()) {
            if (file.read(block, position + block.position()) < 0) {
                throw new SnapshotCorruptException(path, position, "file ends inside a block");
            }
        }
        block.flip();
        position += length;
        crc.reset();
        crc.update(block.duplicate());
        int stored = readFrame();
        if (stored != (int) crc.getValue()) {
            throw new SnapshotCorruptException(path, blockStart, "block checksum mismatch");
        }
    }

    /** Checks that the body ends here with its empty end block and nothing after it. */
    void finish() throws IOException {
        if (block.hasRemaining()) {
            throw corrupt(block.remaining() + " unread bytes at the end of the body");
        }
        long at = position;
        if (readFrame() != 0 || readFrame() != 0) {
            throw new SnapshotCorruptException(path, at, "missing end of body");
        }
        if (position != fileSize) {
            throw new SnapshotCorruptException(path, position, (fileSize - position) + " bytes after the end of the body");
        }
    }

    private int readFrame() throws IOException {
        frame.clear();
        while (frame.hasRemaining()) {
            if (file.read(frame, position + frame.position()) < 0) {
                throw new SnapshotCorruptException(path, position, "file ends early (truncated snapshot)");
            }
        }
        position += 4;
        return frame.getInt(0);
    }
}
