package io.graphwal.graph;

import java.io.IOException;

/**
 * The stream a {@link StoreImage} is written to, in the order {@link StoreImage#read} reads it back. The
 * container around it (file, header, checksum) is the caller's business.
 */
public interface ImageOutput {

    /**
     * Writes one byte.
     *
     * @param value the byte, in the low 8 bits
     * @throws IOException if the stream fails
     */
    void writeByte(int value) throws IOException;

    /**
     * Writes an int.
     *
     * @param value the value
     * @throws IOException if the stream fails
     */
    void writeInt(int value) throws IOException;

    /**
     * Writes a long.
     *
     * @param value the value
     * @throws IOException if the stream fails
     */
    void writeLong(long value) throws IOException;

    /**
     * Writes a length-prefixed byte array.
     *
     * @param value the bytes
     * @throws IOException if the stream fails
     */
    void writeBytes(byte[] value) throws IOException;

    /**
     * Writes {@code count} longs from {@code values}, starting at {@code from}.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the stream fails
     */
    void writeLongs(long[] values, int from, int count) throws IOException;

    /**
     * Writes {@code count} ints from {@code values}, starting at {@code from}.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the stream fails
     */
    void writeInts(int[] values, int from, int count) throws IOException;
}
