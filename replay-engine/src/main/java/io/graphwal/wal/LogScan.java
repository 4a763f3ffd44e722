package io.graphwal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;

/**
 * Verifies a log directory by the rules of recovery and says what a crash legitimately left behind, changing
 * nothing.
 *
 * <p>Every segment header, every record checksum and the continuity of LSNs across all segments are checked.
 * Segments other than the last are sealed (fsynced before their successor was created), so any damage in
 * them is corruption. In the last segment, a damaged record is a <em>torn tail</em> when no valid record
 * after it proves it had been durable: each record carries the durable LSN its writer knew of, so a later
 * record whose writer knew the damaged LSN was already fsynced turns the damage into corruption. A torn tail
 * is reported, for {@link LogRecovery} to cut off when the log opens (or refused, under
 * {@link TornTailPolicy#FAIL}); corruption is always refused with the file, offset and LSN. Nothing is skipped
 * silently. An all-zero remainder of a segment is not damage but space the log zero-filled ahead of its
 * records and never wrote into, so it ends the segment cleanly.
 *
 * <p><b>Scan, then repair.</b> {@link #scan()} only reads: it opens every file for reading only, writes,
 * truncates, deletes and syncs nothing, notes a torn tail in its result instead of cutting it, and instead of
 * throwing the first corruption it stops there and returns it with the records verified before it. An
 * opening log throws that corruption ({@link WriteAheadLog#recover}, through {@link WalRecovery}) and has
 * {@link LogRecovery} apply the cut only once {@link WalRecovery#open()} is called; {@link WalInspector}
 * reports both. The two are apart so that an opener can check everything else it needs (snapshots readable,
 * the log reaching them, every record replaying) before recovery changes a byte: a torn tail is evidence, and
 * an open that is going to be refused anyway must leave it where it was.
 *
 * <p><b>Durability proven from outside the log.</b> The opener may pass an LSN that other evidence proves was
 * durable: a snapshot at LSN L is written only after the log was fsynced up to L. A crash tears only writes
 * that were never synced, so damage at or below that LSN is not a torn tail whatever follows it, and neither
 * is a log that ends below it: both are refused as corruption naming the evidence, and nothing is cut. That
 * holds even though a readable snapshot at L makes the records up to L redundant for replay: the snapshot
 * may still prove unreadable (replay then falls back to an older one and needs those records), the records
 * after L in the damaged stretch may have been acknowledged (the crash explanation that allows cutting them
 * no longer holds), and the log could not continue at L + 1 after a cut anyway.
 *
 * <p>One scan per instance, on one thread: the scan gathers the torn tail and the report in its fields.
 */
final class LogScan {

    private static final int SCAN_BUFFER = 1 << 20;

    /**
     * The verified segments, oldest first, and the LSN the next append gets; the torn tail left in place and
     * the corruption the scan stopped at, each {@code null} if none. The report describes what opening the log
     * does, not what was done. After a corruption the segments end with the one it was found in, holding only
     * the records before it.
     */
    record Result(List<Segment> segments, long nextLsn, RecoveryReport report, WalInspector.TornTail tornTail,
            WalCorruptionException corruption) {
    }

    private final FileIO io;
    private final Path directory;
    private final int maxRecordSize;
    private final TornTailPolicy tornTailPolicy;
    /** Every LSN up to this one is proven durable by {@link #evidence}; 0 if nothing is. */
    private final long provenDurableLsn;
    private final Path evidence;
    private final DamageProbe probe;

    private long tornTailBytes;
    private WalInspector.TornTail tornTail;
    /** The segment being verified when a corruption was found, holding the records verified before it. */
    private Segment partial;
    private Path tornTailFile;
    private long droppedFrom;
    private long droppedTo;
    private RecordCursor cursor;

    /**
     * A scan that judges a torn tail by {@code tornTailPolicy}, and refuses as corruption any damage or end of
     * the log below {@code provenDurableLsn}.
     *
     * @param provenDurableLsn an LSN that {@code evidence} proves was durable, or 0
     * @param evidence the file that proves it (named in refusals), or {@code null} if the LSN is 0
     * @throws IllegalArgumentException if {@code provenDurableLsn} is negative, or positive without evidence
     */
    LogScan(FileIO io, Path directory, int maxRecordSize, TornTailPolicy tornTailPolicy, long provenDurableLsn,
            Path evidence) {
        if (provenDurableLsn < 0 || (provenDurableLsn > 0 && evidence == null)) {
            throw new IllegalArgumentException("a proven durable LSN (" + provenDurableLsn
                    + ") must be 0, or positive and come with the file that proves it");
        }
        this.io = io;
        this.directory = directory;
        this.maxRecordSize = maxRecordSize;
        this.tornTailPolicy = tornTailPolicy;
        this.provenDurableLsn = provenDurableLsn;
        this.evidence = evidence;
        this.probe = new DamageProbe(maxRecordSize);
    }

    /**
     * Verifies every segment without changing anything, stopping at the first corruption, which it returns
     * rather than throws. A torn tail is only noted, for {@link LogRecovery#repair} to cut.
     *
     * @throws IOException if a file cannot be listed or read
     */
    Result scan() throws IOException {
        long started = System.nanoTime();
        List<Segment> segments = new ArrayList<>();
        long expected = 1;
        long records = 0;
        WalCorruptionException corruption = null;
        try {
            TreeMap<Long, Path> files = listSegments(io, directory);
            expected = files.isEmpty() ? 1 : files.firstKey();
            int index = 0;
            for (var entry : files.entrySet()) {
                boolean last = ++index == files.size();
                long firstLsn = entry.getKey();
                Path path = entry.getValue();
                if (!segments.isEmpty() && firstLsn != expected) {
                    throw corruption(path, 0, expected, "LSN gap: the previous segment ends at LSN " + (expected - 1)
                            + " but this one starts at " + firstLsn);
                }
                Segment segment = verify(path, firstLsn, last);
                if (segment == null) {
                    continue; // a torn, never-acknowledged last segment, for repair to remove
                }
                segments.add(segment);
                records += segment.lastLsn() - segment.firstLsn() + 1;
                expected = segment.lastLsn() + 1;
            }
        } catch (WalCorruptionException e) {
            corruption = e;
            if (partial != null) {
                segments.add(partial);
                records += partial.lastLsn() - partial.firstLsn() + 1;
                expected = partial.lastLsn() + 1;
            }
        }
        long first = segments.isEmpty() || records == 0 ? 0 : segments.get(0).firstLsn();
        long lastLsn = expected - 1;
        if (corruption == null && lastLsn < provenDurableLsn) {
            corruption = endsBelowProof(segments, lastLsn);
        }
        RecoveryReport report = new RecoveryReport(segments.size(), first, records == 0 ? 0 : lastLsn, records,
                tornTailBytes, tornTailFile, droppedFrom, droppedTo, Duration.ofNanos(System.nanoTime() - started));
        return new Result(segments, expected, report, tornTail, corruption);
    }

    /** Lists the segment files of a directory by first LSN, refusing stray files that look like segments. */
    static TreeMap<Long, Path> listSegments(FileIO io, Path directory) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        for (Path path : io.list(directory)) {
            String name = path.getFileName().toString();
            if (!name.endsWith(WalFormat.SEGMENT_SUFFIX)) {
                continue;
            }
            long firstLsn = WalFormat.parseSegmentFileName(name);
            if (firstLsn < 1) {
                throw new WalCorruptionException(path, 0, 0, "Unexpected file " + path + " in the GraphWAL directory: "
                        + "segment names are 20 digits (the first LSN, from 1) followed by .wal. Move it out of "
                        + "the directory if it is not part of this log.");
            }
            files.put(firstLsn, path);
        }
        return files;
    }

    private Segment verify(Path path, long firstLsn, boolean last) throws IOException {
        partial = null;
        try (FileHandle file = io.open(path, FileIO.OpenMode.READ)) {
            long size = file.size();
            ByteBuffer header = ByteBuffer.allocate(WalFormat.SEGMENT_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && file.read(header, header.position()) >= 0) {
                // keep reading until the header is full or the file ends
            }
            header.flip();
            String headerProblem = WalFormat.checkSegmentHeader(header, firstLsn);
            if (headerProblem != null) {
                if (!last) {
                    throw corruption(path, 0, firstLsn, headerProblem);
                }
                // A crash while a segment was being created leaves a short or unsynced header. No record in
                // such a file was acknowledged, unless valid records follow, which would make it corruption.
                long valid = probe.firstValidRecord(file, WalFormat.SEGMENT_HEADER_SIZE, size, firstLsn,
                        Long.MIN_VALUE);
                if (valid >= 0) {
                    throw corruption(path, 0, firstLsn, headerProblem + ", yet valid records follow it");
                }
                tornTail(path, firstLsn, firstLsn, size, 0, headerProblem);
                return null;
            }
            Segment segment = new Segment(path, firstLsn, firstLsn - 1, WalFormat.SEGMENT_HEADER_SIZE);
            if (cursor == null) {
                cursor = new RecordCursor(file, WalFormat.SEGMENT_HEADER_SIZE, size, maxRecordSize, SCAN_BUFFER);
            } else {
                cursor.reset(file, WalFormat.SEGMENT_HEADER_SIZE, size);
            }
            long expected = firstLsn;
            long validEnd;
            while (true) {
                RecordCursor.Outcome outcome = cursor.next();
                if (outcome == RecordCursor.Outcome.END) {
                    validEnd = cursor.position();
                    break;
                }
                if (outcome == RecordCursor.Outcome.RECORD) {
                    if (cursor.lsn() != expected) {
                        throw stopAt(segment, expected, cursor.recordOffset(), corruption(path,
                                cursor.recordOffset(), expected, "found LSN " + cursor.lsn() + " where LSN "
                                + expected + " belongs"));
                    }
                    segment.index().maybeAdd(expected, cursor.recordOffset());
                    expected++;
                    continue;
                }
                long offset = cursor.recordOffset();
                if (DamageProbe.isZeroFilled(file, offset, size)) {
                    // Space the log zero-filled ahead of its records and never wrote into: the clean end. In a
                    // sealed segment it is a trim that did not reach the disk; if records were lost instead, the
                    // next segment's first LSN no longer follows on and is reported as a gap.
                    validEnd = offset;
                    break;
                }
                long oversized = probe.oversizedRecord(file, offset, size, expected);
                if (oversized >= 0) {
                    throw stopAt(segment, expected, offset, new WalCorruptionException(path, offset, expected,
                            "Cannot open the write-ahead log: " + path + " at byte offset " + offset + " (LSN "
                            + expected + ") holds a whole record with a valid checksum of " + oversized + " bytes, "
                            + "more than max-record-size " + maxRecordSize + ". It was written with a larger "
                            + "graphwal.wal.max-record-size; set it to at least " + oversized + " to open the log. "
                            + "Nothing was changed."));
                }
                if (!last) {
                    throw stopAt(segment, expected, offset, corruption(path, offset, expected, cursor.problem()
                            + " in a sealed segment"));
                }
                long provenDurable = probe.firstValidRecord(file, offset + 1, size, expected, expected);
                if (provenDurable >= 0) {
                    throw stopAt(segment, expected, offset, corruption(path, offset, expected, cursor.problem()
                            + ", but a later record at offset " + provenDurable + " was written after LSN "
                            + expected + " had been made durable"));
                }
                long lastLost = probe.lastRecordAfter(file, offset + 1, size, expected);
                tornTail(path, expected, Math.max(expected, lastLost), size - offset, offset, cursor.problem());
                validEnd = offset;
                break;
            }
            segment.extend(expected - 1, validEnd);
            return segment;
        }
    }

    /**
     * Records that {@code segment} is intact up to (not including) LSN {@code expected} at {@code offset},
     * so that the result can keep the records before a corruption.
     *
     * @return {@code e}, for the caller to throw
     */
    private WalCorruptionException stopAt(Segment segment, long expected, long offset, WalCorruptionException e) {
        segment.extend(expected - 1, offset);
        partial = segment;
        return e;
    }

    private void tornTail(Path path, long fromLsn, long toLsn, long bytes, long offset, String problem) {
        if (fromLsn <= provenDurableLsn) {
            throw new WalCorruptionException(path, offset, fromLsn, "Corrupt write-ahead log: " + path
                    + " at byte offset " + offset + " (LSN " + fromLsn + "): " + problem + ". This is not a torn tail "
                    + "from a crash: " + evidence + " proves that every LSN up to " + provenDurableLsn + " was "
                    + "durable (the log is fsynced before a snapshot is written), so these bytes had been synced and "
                    + "were damaged afterwards, and records after LSN " + provenDurableLsn + " in the damaged stretch "
                    + "may have been acknowledged too. GraphWAL did not open the log and changed nothing. "
                    + "Options: restore " + path.getFileName() + " (and any later segment) from a backup or replica, "
                    + "then open again; if " + evidence.getFileName() + " was not written by this log, move it out "
                    + "of the directory. Inspect the files first with the wal tool's verify and dump. Only as a "
                    + "last resort, " + lossOption(fromLsn, path));
        }
        if (tornTailPolicy == TornTailPolicy.FAIL) {
            throw new WalCorruptionException(path, offset, fromLsn, "Torn tail in " + path + " at byte offset "
                    + offset + " (LSN " + fromLsn + "): " + problem + "; " + bytes + " bytes of an incomplete write "
                    + "that was never durable. graphwal.recovery.torn-tail is 'fail', so the log was not opened. To discard the "
                    + "incomplete write and start, set it to 'truncate'; inspect first with the wal tool's dump.");
        }
        tornTailBytes += bytes;
        tornTailFile = path;
        droppedFrom = fromLsn;
        droppedTo = toLsn;
        tornTail = new WalInspector.TornTail(path, offset, bytes, fromLsn, toLsn, problem);
    }

    /**
     * The refusal of a log whose last verified LSN is below the proven durable one: records that were
     * durable are missing, though no damaged byte says where (a lost segment, a cut file, zeros over records).
     */
    private WalCorruptionException endsBelowProof(List<Segment> segments, long lastLsn) {
        Path file = segments.isEmpty() ? directory : segments.get(segments.size() - 1).path();
        long offset = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).endOffset();
        String where = segments.isEmpty() ? "The GraphWAL directory " + directory + " holds no intact segment"
                : "The write-ahead log ends at LSN " + lastLsn + ": " + file + " at byte offset " + offset
                + " (LSN " + (lastLsn + 1) + ") holds nothing more";
        return new WalCorruptionException(file, offset, lastLsn + 1, where + ", yet " + evidence + " proves that every "
                + "LSN up to " + provenDurableLsn + " was durable (the log is fsynced before a snapshot is written). "
                + "The records from LSN " + (lastLsn + 1) + " on are missing: a segment was lost, cut or overwritten. "
                + "GraphWAL did not open the log and changed nothing. Options: restore the segments holding LSN "
                + (lastLsn + 1) + " to at least " + provenDurableLsn + " from a backup or replica, then open again; if "
                + evidence.getFileName() + " was not written by this log, move it out of the directory. Only as a "
                + "last resort, accepting the loss of LSN " + (lastLsn + 1) + " and everything after it: move every "
                + "snapshot above LSN " + lastLsn + " out of the directory (keep them: they hold the lost state).");
    }

    private static String lossOption(long lsn, Path path) {
        return "accepting the loss of LSN " + lsn + " and everything after it: move " + path.getFileName() + ", every "
                + "later segment and every snapshot above LSN " + (lsn - 1) + " out of the directory (keep them: they "
                + "hold the lost state).";
    }

    static WalCorruptionException corruption(Path path, long offset, long lsn, String problem) {
        return new WalCorruptionException(path, offset, lsn, "Corrupt write-ahead log: " + path + " at byte offset "
                + offset + " (LSN " + lsn + "): " + problem + ". This is not a torn tail from a crash, so GraphWAL "
                + "will not open the log and will not guess. Options: restore the directory from a backup or "
                + "replica; or, accepting the loss of LSN " + lsn + " and everything after it, move this file and "
                + "every later segment out of the directory (inspect them first with the wal tool's verify and "
                + "dump).");
    }
}
