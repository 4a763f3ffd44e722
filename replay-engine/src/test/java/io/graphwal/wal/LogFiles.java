package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.config;
import static io.graphwal.wal.WalFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongToIntFunction;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Helpers for the recovery tests: they write small logs, work out where every record lies from the
 * documented layout alone (24-byte segment header, 21-byte record header plus payload, segments named by
 * their 20-digit first LSN) and damage the files directly, the way a crash or a bad disk would.
 */
final class LogFiles {

    static final int SEGMENT_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 21;
    static final long SEGMENT_SIZE = 4096;
    static final int MAX_RECORD_SIZE = 512;
    /** Every test record's payload is this prefix followed by its LSN, as {@link WalFixtures#expected} wants. */
    static final String PREFIX = "r";

    private LogFiles() {
    }

    /** A configuration with small segments, so a few hundred records span several of them. */
    static WalConfig.Builder small(Path dir) {
        return config(dir).segmentSize(SEGMENT_SIZE).maxRecordSize(MAX_RECORD_SIZE);
    }

    static WalConfig small(Path dir, TornTailPolicy policy) {
        return small(dir).tornTail(policy).build();
    }

    /** Opens the log in {@code dir}, appends records {@code fromLsn..toLsn} and closes it. */
    static void write(WalConfig config, long fromLsn, long toLsn) {
        try (WriteAheadLog wal = WriteAheadLog.open(config)) {
            appendRecords(wal, fromLsn, toLsn);
        }
    }

    /** Appends records {@code fromLsn..toLsn}, checking that each gets the LSN its payload names. */
    static void appendRecords(WriteAheadLog wal, long fromLsn, long toLsn) {
        for (long lsn = fromLsn; lsn <= toLsn; lsn++) {
            assertThat(wal.append(TYPE, payload(PREFIX + lsn))).as("LSN of the record appended as %s", lsn)
                    .isEqualTo(lsn);
        }
    }

    /** The bytes a test record takes on disk. */
    static int recordSize(long lsn) {
        return RECORD_HEADER_BYTES + (PREFIX + lsn).getBytes(StandardCharsets.UTF_8).length;
    }

    /** A valid segment header, built from the documented layout rather than by the code under test. */
    static byte[] segmentHeader(long firstLsn) {
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put("GWAL".getBytes(StandardCharsets.US_ASCII)).putShort((short) 1).putShort((short) 0)
                .putLong(firstLsn).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, SEGMENT_HEADER_BYTES - 4);
        header.putInt((int) crc.getValue());
        return header.array();
    }

    static String segmentName(long firstLsn) {
        return String.format("%020d.wal", firstLsn);
    }

    /** The segment files of a log, oldest first. */
    static List<Path> segments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.wal")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long firstLsn(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    /** Copies the segment files of one log into a new directory (not the lock file). */
    static Path copyLog(Path from, Path to) {
        try {
            Files.createDirectories(to);
            for (Path segment : segments(from)) {
                Files.copy(segment, to.resolve(segment.getFileName()));
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where one record lies: the segment's file name, the record's offset in it and its size. */
    record Location(String file, long offset, int size) {
        long end() {
            return offset + size;
        }

        Path in(Path dir) {
            return dir.resolve(file);
        }
    }

    /**
     * Where every record of a log lies, computed from the record sizes and the segment names. Fails if the
     * files are not exactly the size the layout predicts, so the tests' idea of the format is checked too.
     */
    static final class Layout {
        final List<String> files = new ArrayList<>();
        final List<Long> firstLsns = new ArrayList<>();
        final TreeMap<Long, Location> records = new TreeMap<>();

        static Layout of(Path dir) {
            return of(dir, LogFiles::recordSize);
        }

        /** The layout of a log whose record of LSN {@code n} takes {@code recordSizes.applyAsInt(n)} bytes. */
        static Layout of(Path dir, LongToIntFunction recordSizes) {
            Layout layout = new Layout();
            try {
                for (Path segment : segments(dir)) {
                    String name = segment.getFileName().toString();
                    long lsn = firstLsn(segment);
                    if (!layout.records.isEmpty()) {
                        assertThat(lsn).as("first LSN of %s", name).isEqualTo(layout.lastLsn() + 1);
                    }
                    layout.files.add(name);
                    layout.firstLsns.add(lsn);
                    long size = Files.size(segment);
                    long offset = SEGMENT_HEADER_BYTES;
                    while (offset < size) {
                        int recordSize = recordSizes.applyAsInt(lsn);
                        layout.records.put(lsn, new Location(name, offset, recordSize));
                        offset += recordSize;
                        lsn++;
                    }
                    assertThat(offset).as("records of %s end where the file ends", name).isEqualTo(size);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return layout;
        }

        Location at(long lsn) {
            Location location = records.get(lsn);
            assertThat(location).as("location of LSN %s", lsn).isNotNull();
            return location;
        }

        long lastLsn() {
            return records.lastKey();
        }

        int segmentCount() {
            return files.size();
        }

        String file(int index) {
            return files.get(index);
        }

        long firstLsnOf(int index) {
            return firstLsns.get(index);
        }

        /** The last LSN held by segment {@code index}. */
        long lastLsnOf(int index) {
            return index + 1 < files.size() ? firstLsns.get(index + 1) - 1 : lastLsn();
        }

        String lastFile() {
            return files.get(files.size() - 1);
        }

        long firstLsnOfLast() {
            return firstLsns.get(firstLsns.size() - 1);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file, long offset, int length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // until full or at the end of the file
            }
            assertThat(buffer.position()).as("bytes readable at %s of %s", offset, file.getFileName())
                    .isEqualTo(length);
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void overwrite(Path file, long offset, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** XORs one byte with {@code mask} (non-zero, so the byte really changes). */
    static void flip(Path file, long offset, int mask) {
        assertThat(mask & 0xFF).as("mask").isNotZero();
        byte[] bytes = read(file, offset, 1);
        bytes[0] ^= (byte) mask;
        overwrite(file, offset, bytes);
    }

    /** Ways a record can be damaged; each leaves its size on disk unchanged unless the length field is hit. */
    enum Damage {
        FLIPPED_PAYLOAD_BYTE {
            @Override
            void apply(Path file, Location record) {
                flip(file, record.offset() + RECORD_HEADER_BYTES, 0xFF);
            }
        },
        FLIPPED_CHECKSUM_BIT {
            @Override
            void apply(Path file, Location record) {
                flip(file, record.offset() + 4, 0x01);
            }
        },
        FLIPPED_LSN_BIT {
            @Override
            void apply(Path file, Location record) {
                flip(file, record.offset() + 8, 0x01);
            }
        },
        ZERO_TYPE {
            @Override
            void apply(Path file, Location record) {
                overwrite(file, record.offset() + 20, new byte[1]);
            }
        },
        ZERO_FILLED {
            @Override
            void apply(Path file, Location record) {
                overwrite(file, record.offset(), new byte[record.size()]);
            }
        },
        LENGTH_ONE_TOO_LONG {
            @Override
            void apply(Path file, Location record) {
                putIntLittleEndian(file, record.offset(), record.size() - RECORD_HEADER_BYTES + 1);
            }
        },
        IMPOSSIBLE_LENGTH {
            @Override
            void apply(Path file, Location record) {
                putIntLittleEndian(file, record.offset(), 0x7FFF_FFF0);
            }
        };

        abstract void apply(Path file, Location record);
    }

    /** Stores a correct checksum in a record, computed as documented: over all its bytes but the checksum's. */
    static void rewriteChecksum(Path file, Location record) {
        byte[] bytes = read(file, record.offset(), record.size());
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 4);
        crc.update(bytes, 8, bytes.length - 8);
        putIntLittleEndian(file, record.offset() + 4, (int) crc.getValue());
    }

    static void putIntLittleEndian(Path file, long offset, int value) {
        overwrite(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void append(Path file, byte[] bytes) {
        overwrite(file, size(file), bytes);
    }

    static void createFile(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the log expecting recovery to refuse it as corrupt. Should it open after all, it is closed
     * again and the assertion fails.
     */
    static WalCorruptionException refusal(WalConfig config, String description) {
        Throwable thrown = catchThrowable(() -> WriteAheadLog.open(config).close());
        assertThat(thrown).as(description).isInstanceOf(WalCorruptionException.class);
        return (WalCorruptionException) thrown;
    }

    /** Asserts that the exception names the file, offset and LSN, both in its message and its accessors. */
    static void assertNames(WalCorruptionException e, Path file, long offset, long lsn, String description) {
        assertThat(e.file()).as("%s: file()", description).isEqualTo(file);
        assertThat(e.offset()).as("%s: offset()", description).isEqualTo(offset);
        assertThat(e.lsn()).as("%s: lsn()", description).isEqualTo(lsn);
        assertThat(e.getMessage()).as("%s: message", description)
                .contains(file.getFileName().toString())
                .containsPattern("\\boffset " + offset + "\\b")
                .containsPattern("\\bLSN " + lsn + "\\b");
    }
}
