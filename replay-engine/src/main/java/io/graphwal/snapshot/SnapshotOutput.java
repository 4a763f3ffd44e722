package io.graphwal.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import io.graphwal.graph.ImageOutput;
import io.graphwal.io.FileHandle;

/**
 * The body of a snapshot being written: a little-endian byte stream cut into checksummed blocks.
 *
 * <p>Bytes go into one reusable buffer; each time it fills, it is written as a block
 * {@code [u32 length][payload][u32 CRC32C of payload]}. So a snapshot of any size is streamed with one
 * buffer's worth of memory, and a reader can verify every block before it trusts a byte of it. Not
 * thread-safe.
 */
final class SnapshotOutput implements ImageOutput {

    static final int BLOCK_SIZE = 1 << 20;

    private final FileHandle file;
    private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer frame = ByteBuffer.allocateDirect(4).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long position;

    SnapshotOutput(FileHandle file, long start) {
        this.file = file;
        this.position = start;
    }

    /**
     * Writes one byte.
     *
     * @param value the byte
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeByte(int value) throws IOException {
        room(1);
        block.put((byte) value);
    }

    /**
     * Writes an int.
     *
     * @param value the int
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeInt(int value) throws IOException {
        room(4);
        block.putInt(value);
    }

    /**
     * Writes a long.
     *
     * @param value the long
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeLong(long value) throws IOException {
        room(8);
        block.putLong(value);
    }

    /**
     * Writes a length-prefixed byte array; {@code null} is written as length -1.
     *
     * @param value the bytes, or null
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeBytes(byte[] value) throws IOException {
        if (value == null) {
            writeInt(-1);
            return;
        }
        writeInt(value.length);
        int offset = 0;
        while (offset < value.length) {
            room(1);
            int n = Math.min(block.remaining(), value.length - offset);
            block.put(value, offset, n);
            offset += n;
        }
    }

    /**
     * Writes a run of longs without a length prefix.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeLongs(long[] values, int from, int count) throws IOException {
        int done = 0;
        while (done < count) {
            room(8);
            int n = Math.min(block.remaining() / 8, count - done);
            block.asLongBuffer().put(values, from + done, n);
            block.position(block.position() + n * 8);
            done += n;
        }
    }

    /**
     * Writes a run of ints without a length prefix.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the file cannot be written
     */
    @Override
    public void writeInts(int[] values, int from, int count) throws IOException {
        int done = 0;
        while (done < count) {
            room(4);
            int n = Math.min(block.remaining() / 4, count - done);
            block.asIntBuffer().put(values, from + done, n);
            block.position(block.position() + n * 4);
            done += n;
        }
    }

    private void room(int bytes) throws IOException {
        if (block.remaining() < bytes) {
            flushBlock();
        }
    }

    /** Writes the buffered bytes as one block. */
    void flushBlock() throws IOException {
        block.flip();
        int length = block.remaining();
        if (length == 0) {
            block.clear();
            return;
        }
        writeFrame(length);
        crc.reset();
        crc.update(block.duplicate());
        file.write(block, position);
        position += length;
        writeFrame((int) crc.getValue());
        block.clear();
    }

    /** Ends the body with an empty block, so a cut-off file is told apart from a complete one. */
    long finish() throws IOException {
        flushBlock();
        writeFrame(0);
        writeFrame(0);
        return position;
    }

    private void writeFrame(int value) throws IOException {
        frame.clear();
        frame.putInt(value).flip();
        file.write(frame, position);
        position += 4;
    }
}
