package io.graphwal.graph;

import java.io.IOException;

/**
 * The stream a {@link StoreImage} is read back from, written by an {@link ImageOutput}. Reads past the end
 * and oversized lengths fail with the stream's own {@link #corrupt} exception, so that a damaged image is
 * refused naming where it came from.
 */
public interface ImageInput {

    /**
     * Reads one byte.
     *
     * @return the byte, 0 to 255
     * @throws IOException if the stream fails or ends
     */
    int readByte() throws IOException;

    /**
     * Reads an int.
     *
     * @return the value
     * @throws IOException if the stream fails or ends
     */
    int readInt() throws IOException;

    /**
     * Reads a long.
     *
     * @return the value
     * @throws IOException if the stream fails or ends
     */
    long readLong() throws IOException;

    /**
     * Reads a length-prefixed byte array.
     *
     * @param maxLength the longest array accepted
     * @return the bytes
     * @throws IOException if the stream fails or ends, or the length is negative or above {@code maxLength}
     */
    byte[] readBytes(int maxLength) throws IOException;

    /**
     * Skips a length-prefixed byte array.
     *
     * @param maxLength the longest array accepted
     * @throws IOException if the stream fails or ends, or the length is negative or above {@code maxLength}
     */
    void skipBytes(int maxLength) throws IOException;

    /**
     * Reads {@code count} longs into {@code values}, starting at {@code from}.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the stream fails or ends
     */
    void readLongs(long[] values, int from, int count) throws IOException;

    /**
     * Reads {@code count} ints into {@code values}, starting at {@code from}.
     *
     * @param values the array
     * @param from the first index
     * @param count how many
     * @throws IOException if the stream fails or ends
     */
    void readInts(int[] values, int from, int count) throws IOException;

    /**
     * Returns how many bytes are left to read, so that counts the image declares can be checked against
     * what it can hold before anything is allocated for them.
     *
     * @return the bytes left
     */
    long bytesLeft();

    /**
     * Returns the exception for a body that breaks a rule, naming the stream's source and position.
     *
     * @param problem what is wrong
     * @return the exception to throw
     */
    IOException corrupt(String problem);
}
