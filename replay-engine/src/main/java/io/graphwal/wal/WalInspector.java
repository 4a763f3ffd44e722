package io.graphwal.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * A read-only look at a log directory, for tools and diagnostics: it verifies the segments by exactly the
 * rules recovery applies when the log is opened, and reads the verified records from any LSN.
 *
 * <p><b>Lock-free and read-only.</b> An inspector never holds the directory lock (it only probes it, see
 * {@link #inUseBy()}) and never changes a byte: it lists the directory, opens segment files for reading
 * only, and never writes, truncates, deletes,
 * creates or fsyncs anything. A torn tail is reported, not cut off; a corruption is reported, not thrown at
 * once, together with the records verified before it. So it is safe on a directory that an application has
 * open, and on a copy taken from a failed machine before anything else touches it.
 *
 * <p><b>On a live directory</b>, one whose lock a running log holds (probed without taking it, see
 * {@link #inUseBy()}), a reader sees files change under it: the newest segment grows while it is read, in
 * per-commit mode over zeros written ahead of the records, in group and none modes through a memory mapping
 * over a file grown sparsely to the segment size; a rollover trims and seals that segment and creates the
 * next one, header first; a checkpoint writes a snapshot under a temporary name, renames it, and then
 * deletes old snapshots and purges the oldest segments. None of that is damage, and the inspector judges it
 * thus:
 * <ul>
 * <li>It lists the directory once and judges the segments in that listing: a segment created later is not
 *     read, and each listed segment but the newest was sealed before its successor existed, so it is final.
 *     Damage in one of them is corruption, live or not.
 * <li>The bytes past the last whole record of the newest listed segment are a write in progress, not a torn
 *     tail ({@link #liveTail()}, and {@link #tornTail()} is {@code null}): the running log has not finished
 *     them, and opening the log would not see them as this scan did.
 * <li>A damaged record of the newest segment followed by a record written after it was durable looks like
 *     corruption, but on a live log it is also what a read racing the writer sees: the reader passed the
 *     damaged offset before the writer reached it and the later record after. Since the log writes each
 *     segment front to back and never rewrites a byte, a later record that was already whole when the damage
 *     is read again proves the damage final. So the newest segment is read again (with its predecessor, so
 *     that a gap between them is still seen): damage found at the same offset on two reads in a row is
 *     corruption; damage that moved on was the writer, and the scan settles on the next read (at most
 *     {@value #LIVE_REREADS} reads; damage that moves on every one is the writer's tail too).
 * <li>A file listed but deleted before it was opened (a purge) fails the scan with a {@link WalException}
 *     caused by a {@link java.nio.file.NoSuchFileException}; scanning again sees the new set of files. A file
 *     deleted after it was opened stays readable through a handle the caller's {@link FileIO} keeps open; the
 *     standard one opens files again for each reader, so there a purge can also fail a reader.
 * </ul>
 * Where a corruption is reported on a live directory, its message says so and gives one piece of advice in
 * place of any other: stop the application first and look again.
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
    private final TornTail liveTail;
    private final WalCorruptionException corruption;
    private final String holder;

    /** How many times the newest segment of a live directory is read at most, see the class comment. */
    static final int LIVE_REREADS = 8;

    private static final String[] DESTRUCTIVE_ADVICE = {" This is not a torn tail", " Move it out of the directory"};

    private WalInspector(Path directory, FileIO io, Judged judged, String holder) {
        LogScan.Result result = judged.result();
        this.directory = directory;
        this.io = io;
        this.holder = holder;
        this.segments = result.segments().toArray(new Segment[0]);
        this.nextLsn = result.nextLsn();
        this.firstLsn = segments.length == 0 ? nextLsn : segments[0].firstLsn();
        this.tornTail = holder == null ? result.tornTail() : null;
        this.liveTail = holder == null ? null : result.tornTail();
        WalCorruptionException found = result.corruption();
        this.corruption = found == null || holder == null ? found : whileInUse(found, holder, judged.reread());
    }

    /** What the scan settled on, and whether a corruption in the newest segment was confirmed by reading it again. */
    private record Judged(LogScan.Result result, boolean reread) {
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
        String holder = DirectoryInUse.holder(directory);
        try {
            // One listing for the whole scan, so that every step judges the same set of files.
            List<Path> listing = List.copyOf(io.list(directory));
            LogScan.Result result = scanListed(io, directory, listing);
            if (holder == null) {
                holder = DirectoryInUse.holder(directory); // opened while this scan ran: files changed under it
            }
            Judged judged = holder == null ? new Judged(result, false) : settleLiveTail(directory, io, listing, result);
            return new WalInspector(directory, io, judged, holder);
        } catch (IOException e) {
            throw new WalException("Cannot read the write-ahead log in " + directory + ": " + e, e);
        }
    }

    /**
     * Reads the newest segment of a live directory again while a corruption found in it might be a read that
     * raced the writer, as the class comment explains.
     */
    private static Judged settleLiveTail(Path directory, FileIO io, List<Path> listing, LogScan.Result first)
            throws IOException {
        WalCorruptionException previous = first.corruption();
        TreeMap<Long, Path> files = segmentFiles(listing);
        if (previous == null || files.isEmpty() || !previous.file().equals(files.lastEntry().getValue())) {
            return new Judged(first, false);
        }
        Path newest = files.lastEntry().getValue();
        // With its predecessor, so that a gap between the two is judged again too.
        List<Path> tail = new ArrayList<>(files.descendingMap().values().stream().limit(2).toList());
        List<Segment> kept = new ArrayList<>();
        for (Segment segment : first.segments()) {
            if (!tail.contains(segment.path())) {
                kept.add(segment);
            }
        }
        LogScan.Result again = first;
        for (int read = 2; read <= LIVE_REREADS; read++) {
            again = scanListed(io, directory, tail);
            WalCorruptionException found = again.corruption();
            if (found == null || !found.file().equals(newest)) {
                return new Judged(merge(kept, again, again.tornTail(), found), false);
            }
            if (found.offset() == previous.offset() && found.lsn() == previous.lsn()) {
                return new Judged(merge(kept, again, again.tornTail(), found), true);
            }
            previous = found;
        }
        // The damage moved on at every read: it is the writer's frontier, seen mid-write each time.
        long size;
        try (FileHandle file = io.open(newest, FileIO.OpenMode.READ)) {
            size = file.size();
        }
        TornTail moving = new TornTail(newest, previous.offset(), Math.max(0, size - previous.offset()),
                previous.lsn(), previous.lsn(), "changed on each of " + LIVE_REREADS + " reads: a write in progress");
        return new Judged(merge(kept, again, moving, null), false);
    }

    private static LogScan.Result merge(List<Segment> kept, LogScan.Result again, TornTail tail,
            WalCorruptionException corruption) {
        List<Segment> segments = new ArrayList<>(kept);
        segments.addAll(again.segments());
        return new LogScan.Result(segments, again.nextLsn(), again.report(), tail, corruption);
    }

    /** The segment files of a listing by first LSN; stray names are left to recovery to refuse. */
    private static TreeMap<Long, Path> segmentFiles(List<Path> listing) {
        TreeMap<Long, Path> files = new TreeMap<>();
        for (Path path : listing) {
            long firstLsn = WalFormat.parseSegmentFileName(path.getFileName().toString());
            if (firstLsn >= 1) {
                files.put(firstLsn, path);
            }
        }
        return files;
    }

    /**
     * Scans the files of {@code listing} as opening the log would with the default torn-tail policy, without
     * the application's max-record-size, which an inspector does not know.
     */
    private static LogScan.Result scanListed(FileIO io, Path directory, List<Path> listing) throws IOException {
        return new LogScan(listed(io, listing), directory, WalConfig.MAX_RECORD_SIZE_LIMIT, TornTailPolicy.TRUNCATE, 0,
                null).scan();
    }

    /** A view of {@code io} whose directory holds exactly {@code listing}, for reading only. */
    private static FileIO listed(FileIO io, List<Path> listing) {
        return new FileIO() {
            @Override
            public FileHandle open(Path path, OpenMode mode) throws IOException {
                if (mode != OpenMode.READ) {
                    throw new IOException("The inspector opens files for reading only, not " + mode + ": " + path);
                }
                return io.open(path, mode);
            }

            @Override
            public List<Path> list(Path dir) {
                return listing;
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                throw readOnly("move " + source);
            }

            @Override
            public void syncDirectory(Path dir) throws IOException {
                throw readOnly("sync " + dir);
            }

            @Override
            public void delete(Path path) throws IOException {
                throw readOnly("delete " + path);
            }

            @Override
            public void createDirectories(Path dir) throws IOException {
                throw readOnly("create " + dir);
            }

            private IOException readOnly(String what) {
                return new IOException("The inspector changes nothing, so it cannot " + what);
            }
        };
    }

    /** The corruption's message, its advice replaced by the one safe step while an application runs. */
    private static WalCorruptionException whileInUse(WalCorruptionException found, String holder, boolean reread) {
        String message = found.getMessage();
        int cut = message.length();
        for (String advice : DESTRUCTIVE_ADVICE) {
            int at = message.indexOf(advice);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        String where = reread ? " It is not the write in progress: it read the same a second time, when the running "
                + "log had already written a record after it." : "";
        return new WalCorruptionException(found.file(), found.offset(), found.lsn(), message.substring(0, cut)
                + where + " The directory is in use by a running GraphWAL (" + holder + "). Stop the application "
                + "first and run verify again; only then restore or repair anything (nothing was changed).");
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
            list.add(new SegmentInfo(segment.path(), segment.firstLsn(), segment.lastLsn(), segment.endOffset()));
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
     * Returns the torn tail that opening the log would cut off (or refuse, under the fail policy). Always
     * {@code null} on a live directory, where the bytes past the last whole record are {@link #liveTail()}.
     *
     * @return the torn tail, or {@code null} if there is none
     */
    public TornTail tornTail() {
        return tornTail;
    }

    /**
     * Returns, on a live directory, the bytes past the last whole record of the newest segment that were not
     * zeros when the scan read them: a write the running log had not finished. They are not read, and nothing
     * is claimed about them.
     *
     * @return the tail being written, or {@code null} if the directory is not live or the newest segment
     *     ended cleanly when read
     */
    public TornTail liveTail() {
        return liveTail;
    }

    /**
     * Says whether a running log held the directory lock when the scan started or ended. The lock is probed
     * without being taken: a log of this JVM is found in its registry, and on Linux another process's lock
     * in the kernel's table of file locks; elsewhere a shared lock on the lock file is tried and let go at
     * once.
     *
     * @return the holder as its lock file describes it ("pid 4242 on host, ..."), or {@code null} if no
     *     running log held the directory
     */
    public String inUseBy() {
        return holder;
    }

    /**
     * Returns the first corruption found: damage that opening the log would refuse, naming the file, byte
     * offset and LSN. The scan stopped there. On a live directory its message says that the directory is in
     * use and advises only to stop the application and look again.
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
