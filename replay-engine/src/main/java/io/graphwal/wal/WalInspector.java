package io.graphwal.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A read-only look at a log directory, for tools and diagnostics: it verifies the segments by exactly the
 * rules recovery applies when the log is opened, and reads the verified records from any LSN.
 *
 * <p><b>Lock-free and read-only.</b> An inspector never takes the directory lock and never changes a byte:
 * it lists the directory, opens segment files for reading only, and never writes, truncates, deletes,
 * creates or fsyncs anything. A torn tail is reported, not cut off; a corruption is reported, not thrown at
 * once, together with the records verified before it. So it is safe on a directory that an application has
 * open, and on a copy taken from a failed machine before anything else touches it.
 *
 * <p><b>On a live directory</b> an inspector sees the log as it was during its {@link #scan}: records
 * appended afterwards are not read, and a record being appended while the scan reaches it looks like a torn
 * tail, which is what it would be if the power failed at that moment. A live checkpoint may purge the oldest
 * segments while they are read; the scan or the reader then fails with a {@link WalException} caused by a
 * {@link java.nio.file.NoSuchFileException}, and scanning again sees the new set of files.
 *
 * <p>Records of any length that fits in a segment are accepted: unlike an open log, an inspector does not
 * know the application's max-record-size. Immutable after the scan; {@link #reader(long)} may be called from
 * any thread, and each reader is used by one thread.
 */
public final class WalInspector {

    private final Path directory;
    private final FileIO io;
    private final Segment[] segments;
    private final long firstLsn;
    private final long nextLsn;
    private final TornTail tornTail;
    private final WalCorruptionException corruption;

    private WalInspector(Path directory, FileIO io, LogRecovery.Result result) {
        this.directory = directory;
        this.io = io;
        this.segments = result.segments().toArray(new Segment[0]);
        this.nextLsn = result.nextLsn();
        this.firstLsn = segments.length == 0 ? nextLsn : segments[0].firstLsn;
        this.tornTail = result.tornTail();
        this.corruption = result.corruption();
    }

    /**
     * Scans the log in {@code directory} with the standard file layer.
     *
     * @param directory the log's directory
     * @return what the scan found
     * @throws WalException if the directory does not exist or a file cannot be read
     */
    public static WalInspector scan(Path directory) {
        return scan(directory, FileIO.standard());
    }

    /**
     * Scans the log in {@code directory}: every segment header, every record's framing and checksum, and the
     * continuity of LSNs, stopping at the first corruption.
     *
     * @param directory the log's directory
     * @param io the file layer, of which only listing and opening for reading are used
     * @return what the scan found
     * @throws WalException if the directory does not exist or a file cannot be read
     */
    public static WalInspector scan(Path directory, FileIO io) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(io, "io");
        if (!Files.isDirectory(directory)) {
            throw new WalException("Cannot inspect " + directory + ": it is not a directory");
        }
        try {
            return new WalInspector(directory, io,
                    LogRecovery.readOnly(io, directory, WalConfig.MAX_RECORD_SIZE_LIMIT).run());
        } catch (IOException e) {
            throw new WalException("Cannot read the write-ahead log in " + directory + ": " + e, e);
        }
    }

    /**
     * Returns the directory that was scanned.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the segments the scan verified, oldest first. If it stopped at a corruption, the last one is the
     * segment where it stopped, holding only the records before the damage, and later segments are absent. A
     * last segment whose header is torn is absent too (see {@link #tornTail()}).
     *
     * @return the segments
     */
    public List<SegmentInfo> segments() {
        List<SegmentInfo> list = new ArrayList<>(segments.length);
        for (Segment segment : segments) {
            list.add(new SegmentInfo(segment.path, segment.firstLsn, segment.lastLsn, segment.endOffset));
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Returns the oldest LSN the log holds: the first segment's first LSN (later than 1 once segments were
     * purged after a snapshot), or {@link #lastLsn()} + 1 if there is no segment.
     *
     * @return the first LSN
     */
    public long firstLsn() {
        return firstLsn;
    }

    /**
     * Returns the newest verified LSN: the last LSN an open would keep, or the last one before the
     * corruption; {@link #firstLsn()} - 1 if no record was verified.
     *
     * @return the last LSN
     */
    public long lastLsn() {
        return nextLsn - 1;
    }

    /**
     * Returns how many records were verified.
     *
     * @return the record count
     */
    public long records() {
        return nextLsn - firstLsn;
    }

    /**
     * Returns the torn tail that opening the log would cut off (or refuse, under the fail policy).
     *
     * @return the torn tail, or {@code null} if there is none
     */
    public TornTail tornTail() {
        return tornTail;
    }

    /**
     * Returns the first corruption found: damage that opening the log would refuse, naming the file, byte
     * offset and LSN. The scan stopped there.
     *
     * @return the corruption, or {@code null} if there is none
     */
    public WalCorruptionException corruption() {
        return corruption;
    }

    /**
     * Throws the corruption if the scan found one. A torn tail alone passes.
     *
     * @return this inspector
     * @throws WalCorruptionException the first corruption found
     */
    public WalInspector verify() {
        if (corruption != null) {
            throw corruption;
        }
        return this;
    }

    /**
     * Opens a reader of the verified records from {@code fromLsn} up to {@link #lastLsn()}, checking every
     * checksum again as it reads. It opens files for reading only and never sees records written after the
     * scan.
     *
     * @param fromLsn the first LSN to read, from {@link #firstLsn()} to {@link #lastLsn()} + 1
     * @return a reader the caller closes
     * @throws WalException if there is no segment, or {@code fromLsn} is outside that range
     */
    public WalReader reader(long fromLsn) {
        if (segments.length == 0) {
            throw new WalException("The write-ahead log in " + directory + " has no intact segment to read");
        }
        long newest = lastLsn();
        return new WalReader(() -> segments, newest, io, WalConfig.MAX_RECORD_SIZE_LIMIT, fromLsn);
    }

    /**
     * One verified segment file.
     *
     * @param file the file
     * @param firstLsn the first LSN it holds (from its name and header)
     * @param lastLsn the last verified LSN in it; {@code firstLsn - 1} if it holds none
     * @param verifiedBytes the length of its header and verified records; less than the file's size where a
     *     torn tail or a corruption follows
     */
    public record SegmentInfo(Path file, long firstLsn, long lastLsn, long verifiedBytes) {

        /**
         * Returns how many verified records the segment holds.
         *
         * @return the record count
         */
        public long records() {
            return lastLsn - firstLsn + 1;
        }
    }

    /**
     * An incomplete or damaged write at the end of the last segment that no later record proves durable:
     * what opening the log cuts off by default.
     *
     * @param file the segment
     * @param offset where the torn bytes start (0 for a torn segment header: the whole file would be removed)
     * @param bytes how many bytes would be cut off
     * @param fromLsn the first LSN that would be lost
     * @param toLsn the last LSN that may be lost: the highest whole record found after the damage, else
     *     {@code fromLsn}
     * @param problem what is wrong with the bytes at {@code offset}
     */
    public record TornTail(Path file, long offset, long bytes, long fromLsn, long toLsn, String problem) {
    }
}
