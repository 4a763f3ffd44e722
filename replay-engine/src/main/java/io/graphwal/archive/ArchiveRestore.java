package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.graph.MalformedDataException;
import io.graphwal.graph.MutationCodec;
import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.LogWriter;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalRecovery;
import io.graphwal.wal.WriteAheadLog;

/**
 * Rebuilds a data directory from an archive, at its newest state, at an LSN or at a time.
 *
 * <p>A restore picks a timeline (the newest that holds anything, unless one is named), the point (the
 * newest LSN the timeline reaches; exactly the LSN asked for; or the last transaction before the first one
 * committed after the time asked for), and the newest snapshot from which the timeline's log is unbroken up
 * to that point. It then writes that snapshot, a log that starts right after it and holds exactly the
 * records up to the point, the graph's id, and a note that the directory was restored from that point
 * (the archiver opens a new timeline for it, so the history archived after the point stays as it was).
 *
 * <p>Every object read is checked against its name and its checksums before the restore finishes; a
 * damaged, truncated or foreign object stops it naming the object, and so does a point the archive cannot
 * reach, naming what is missing. A failed restore removes what it wrote. The target must be missing or
 * empty: a restore never mixes with or overwrites a graph.
 */
public final class ArchiveRestore {

    private static final Logger log = LoggerFactory.getLogger(ArchiveRestore.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int COPY_BUFFER = 1024 * 1024;

    private ArchiveRestore() {
    }

    /**
     * Where to restore to.
     *
     * @param lsn restore exactly up to this LSN, or 0
     * @param time restore up to the last transaction before the first committed after this time, or null
     * @param timeline the timeline to restore from, or 0 for the newest that holds anything
     */
    public record Point(long lsn, Instant time, long timeline) {

        /**
         * The newest state of the newest timeline.
         *
         * @return the point
         */
        public static Point newest() {
            return new Point(0, null, 0);
        }

        /**
         * Validates the point.
         *
         * @throws IllegalArgumentException if both an LSN and a time are given, or a number is negative
         */
        public Point {
            if (lsn < 0 || timeline < 0) {
                throw new IllegalArgumentException("LSN and timeline must not be negative");
            }
            if (lsn > 0 && time != null) {
                throw new IllegalArgumentException("restore to an LSN or to a time, not both");
            }
        }
    }

    /**
     * What a restore did.
     *
     * @param graphId the graph restored
     * @param timeline the timeline it came from
     * @param snapshotLsn the snapshot it started from, 0 if it replayed the log from LSN 1
     * @param lsn the LSN the directory now opens at
     * @param records how many log records it wrote
     * @param bytes how many archived bytes it read
     * @param duration how long it took
     */
    public record Report(String graphId, long timeline, long snapshotLsn, long lsn, long records, long bytes,
            Duration duration) {
    }

    /**
     * Whether the archive holds a graph to restore at all: false for an empty location.
     *
     * @param target the archive
     * @return whether it holds a manifest
     * @throws IOException if it cannot be listed
     */
    public static boolean holdsGraph(ArchiveTarget target) throws IOException {
        return ArchiveCatalog.read(target).hasManifest();
    }

    /**
     * Restores {@code directory} from {@code target}.
     *
     * @param target the archive
     * @param io the file system of the directory
     * @param directory the data directory to create, which must be missing or empty
     * @param point where to restore to
     * @return what was done
     * @throws ArchiveException if the directory is not empty, the archive cannot reach the point (naming what
     *     is missing), or an object is unusable ({@link ArchiveCorruptException}, naming it)
     * @throws IOException if the archive or the directory cannot be read or written
     */
    public static Report restore(ArchiveTarget target, FileIO io, Path directory, Point point) throws IOException {
        long started = System.nanoTime();
        boolean created = checkEmpty(directory);
        ArchiveCatalog catalog = ArchiveCatalog.read(target);
        if (!catalog.hasManifest()) {
            throw new ArchiveException("The archive " + target.describe() + " holds no graph (no "
                    + ArchiveCatalog.MANIFEST + "); nothing to restore");
        }
        String graphId = ArchiveManifests.graphId(ArchiveCatalog.readSmall(target, ArchiveCatalog.MANIFEST, 4096));
        ArchiveCatalog.Timeline timeline = chooseTimeline(catalog, point, target);
        Plan plan = plan(timeline, point, target);
        log.info("GraphWAL restore of {} from {} timeline {}: snapshot LSN {}, log to LSN {}", directory,
                target.describe(), timeline.id(), plan.base() == null ? 0 : plan.base().lsn(),
                point.time() != null ? "the time " + point.time() : Long.toString(plan.lsn()));
        try {
            io.createDirectories(directory);
            Restorer restorer = new Restorer(target, io, directory, graphId, timeline.id(), point.time());
            long reached = restorer.run(plan);
            new LocalTimeline(0, null, timeline.id(), reached).write(io, directory);
            Report report = new Report(graphId, timeline.id(), plan.base() == null ? 0 : plan.base().lsn(), reached,
                    restorer.records, restorer.bytes, Duration.ofNanos(System.nanoTime() - started));
            log.info("GraphWAL restored {} to LSN {} ({} records after snapshot LSN {}, {} bytes read) in {} ms",
                    directory, reached, report.records(), report.snapshotLsn(), report.bytes(),
                    report.duration().toMillis());
            return report;
        } catch (IOException | RuntimeException e) {
            removeWhatWasWritten(directory, created, e);
            throw e;
        }
    }

    /** Refuses a directory that holds anything; returns whether it is missing (so the restore creates it). */
    private static boolean checkEmpty(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return true;
        }
        if (!Files.isDirectory(directory)) {
            throw new ArchiveException("Cannot restore into " + directory + ": it is not a directory");
        }
        try (var entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                throw new ArchiveException("Cannot restore into " + directory + ": it is not empty. Restore into a "
                        + "new or empty directory; a restore never mixes with a graph that is there");
            }
        }
        return false;
    }

    private static void removeWhatWasWritten(Path directory, boolean created, Exception failure) {
        try (var entries = Files.list(directory)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(entry);
            }
            if (created) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static ArchiveCatalog.Timeline chooseTimeline(ArchiveCatalog catalog, Point point, ArchiveTarget target) {
        if (point.timeline() > 0) {
            ArchiveCatalog.Timeline named = catalog.timelines().get(point.timeline());
            if (named == null) {
                throw new ArchiveException("The archive " + target.describe() + " has no timeline "
                        + point.timeline() + " (it has " + catalog.timelines().keySet() + ")");
            }
            return named;
        }
        List<ArchiveCatalog.Timeline> newestFirst = new ArrayList<>(catalog.timelines().values());
        newestFirst.sort(Comparator.comparingLong(ArchiveCatalog.Timeline::id).reversed());
        for (ArchiveCatalog.Timeline timeline : newestFirst) {
            if (timeline.newestLsn() > 0) {
                return timeline;
            }
        }
        ArchiveCatalog.Timeline first = catalog.timelines().get(1L);
        if (first != null && first.hasManifest() && first.log().isEmpty() && first.snapshots().isEmpty()) {
            // The graph began archiving at LSN 1 and nothing was shipped yet: its archived state is the empty graph.
            return first;
        }
        throw new ArchiveException("The archive " + target.describe() + " holds no restorable state yet (no "
                + "snapshot, and no log from LSN 1)");
    }

    /** The snapshot to start from (null: the log from LSN 1) and the log objects to read, in order. */
    record Plan(ArchiveCatalog.SnapshotObject base, long lsn, List<ArchiveCatalog.LogObject> log) {
    }

    static Plan plan(ArchiveCatalog.Timeline timeline, Point point, ArchiveTarget target) {
        long newest = timeline.newestLsn();
        if (point.time() != null) {
            return planForTime(timeline, point.time(), target);
        }
        long lsn = point.lsn() == 0 ? newest : point.lsn();
        if (lsn == 0 && timeline.log().isEmpty() && timeline.snapshots().isEmpty()) {
            return new Plan(null, 0, List.of());
        }
        if (lsn > newest) {
            throw new ArchiveException("The archive " + target.describe() + " cannot restore LSN " + lsn
                    + ": timeline " + timeline.id() + " reaches only LSN " + newest + " (" + timeline.holdings()
                    + "); LSN " + (newest + 1) + ".." + lsn + " are missing");
        }
        List<Long> bases = timeline.bases();
        for (int i = bases.size() - 1; i >= 0; i--) {
            long base = bases.get(i);
            if (base <= lsn && timeline.chain(base, lsn, null) >= lsn) {
                return planFrom(timeline, base, lsn);
            }
        }
        long bestBase = -1;
        for (long base : bases) {
            if (base <= lsn) {
                bestBase = base;
            }
        }
        String missing = bestBase < 0 ? "there is no snapshot at or before it and the log does not start at LSN 1"
                : "from " + (bestBase == 0 ? "LSN 1" : "the snapshot at LSN " + bestBase) + " the log stops at LSN "
                        + timeline.chain(bestBase, lsn, null) + ", so LSN " + (timeline.chain(bestBase, lsn, null) + 1)
                        + " onwards up to " + lsn + " is missing";
        throw new ArchiveException("The archive " + target.describe() + " cannot restore LSN " + lsn + ": " + missing
                + " (" + timeline.holdings() + ")");
    }

    private static Plan planFrom(ArchiveCatalog.Timeline timeline, long base, long lsn) {
        List<ArchiveCatalog.LogObject> used = new ArrayList<>();
        timeline.chain(base, lsn, used);
        ArchiveCatalog.SnapshotObject snapshot = null;
        for (ArchiveCatalog.SnapshotObject candidate : timeline.snapshots()) {
            if (candidate.lsn() == base) {
                snapshot = candidate;
            }
        }
        return new Plan(snapshot, lsn, used);
    }

    /**
     * For a time: start from the newest snapshot committed at or before it (or LSN 1) and read the log to
     * the newest LSN, stopping at the first transaction committed after the time.
     */
    private static Plan planForTime(ArchiveCatalog.Timeline timeline, Instant time, ArchiveTarget target) {
        long micros = time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
        long chosen = -1;
        for (long base : timeline.bases()) {
            // Bases come oldest first, so the last one committed at or before the time is the newest such.
            if (base == 0 || snapshotAt(timeline, base).micros() <= micros) {
                chosen = base;
            }
        }
        if (chosen < 0) {
            ArchiveCatalog.SnapshotObject oldest = timeline.snapshots().isEmpty() ? null : timeline.snapshots().get(0);
            throw new ArchiveException("The archive " + target.describe() + " cannot restore the time " + time
                    + ": timeline " + timeline.id() + " reaches back only to "
                    + (oldest == null ? "nothing" : "its snapshot at LSN " + oldest.lsn() + ", committed "
                    + ArchiveCatalog.time(oldest.micros())) + " (" + timeline.holdings() + ")");
        }
        long end = timeline.extend(chosen);
        return planFrom(timeline, chosen, end);
    }

    private static ArchiveCatalog.SnapshotObject snapshotAt(ArchiveCatalog.Timeline timeline, long lsn) {
        for (ArchiveCatalog.SnapshotObject snapshot : timeline.snapshots()) {
            if (snapshot.lsn() == lsn) {
                return snapshot;
            }
        }
        throw new IllegalStateException("no snapshot at " + lsn);
    }

    /** One restore's work: the snapshot file, then the log. */
    private static final class Restorer {
        private final ArchiveTarget target;
        private final FileIO io;
        private final Path directory;
        private final String graphId;
        private final long timeline;
        private final long stopAfterMicros;
        private long records;
        private long bytes;
        private long lastProgress = System.nanoTime();

        Restorer(ArchiveTarget target, FileIO io, Path directory, String graphId, long timeline, Instant time) {
            this.target = target;
            this.io = io;
            this.directory = directory;
            this.graphId = graphId;
            this.timeline = timeline;
            this.stopAfterMicros = time == null ? Long.MAX_VALUE
                    : time.getEpochSecond() * 1_000_000 + time.getNano() / 1000;
        }

        /** Restores the plan, returning the LSN reached. */
        long run(Plan plan) throws IOException {
            long base = plan.base() == null ? 0 : plan.base().lsn();
            if (plan.base() != null) {
                restoreSnapshot(plan.base());
            }
            // No record is larger than the largest object body that holds it; segments must fit one such record.
            long largest = WalConfig.DEFAULT_MAX_RECORD_SIZE;
            for (ArchiveCatalog.LogObject object : plan.log()) {
                largest = Math.max(largest, object.size() - ArchiveFormat.HEADER_SIZE);
            }
            int maxRecord = (int) Math.min(largest, WalConfig.MAX_RECORD_SIZE_LIMIT);
            WalConfig config = WalConfig.builder(directory).syncMode(SyncMode.NONE).fileIO(io)
                    .maxRecordSize(maxRecord)
                    .segmentSize(Math.max(WalConfig.DEFAULT_SEGMENT_SIZE, maxRecord + 1024L)).build();
            long next = base + 1;
            try (WalRecovery recovery = WriteAheadLog.recover(config, 0, null);
                    LogWriter writer = recovery.openAt(base + 1, graphId)) {
                for (ArchiveCatalog.LogObject object : plan.log()) {
                    next = restoreLog(object, writer, next, plan.lsn());
                    if (next <= plan.lsn() && stopped) {
                        break;
                    }
                }
                writer.log().flush();
            }
            return next - 1;
        }

        private boolean stopped;

        private void restoreSnapshot(ArchiveCatalog.SnapshotObject object) throws IOException {
            Path temp = directory.resolve(SnapshotFiles.fileName(object.lsn()) + ".tmp");
            try (InputStream in = target.get(object.name());
                    FileHandle file = io.open(temp, FileIO.OpenMode.CREATE_NEW)) {
                ArchiveFormat.Header header = readHeader(in, object.name());
                check(header.kind() == ArchiveFormat.KIND_SNAPSHOT && header.firstLsn() == object.lsn()
                        && header.earliestMicros() == object.micros(), object.name(), header);
                checkSize(header, object.size(), object.name());
                CRC32C crc = new CRC32C();
                byte[] buffer = new byte[COPY_BUFFER];
                long position = 0;
                while (position < header.bodyLength()) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, header.bodyLength() - position));
                    if (n < 0) {
                        throw new ArchiveCorruptException(object.name(), "it ends after " + position + " of "
                                + header.bodyLength() + " body bytes (truncated)");
                    }
                    crc.update(buffer, 0, n);
                    file.write(ByteBuffer.wrap(buffer, 0, n), position);
                    position += n;
                    progress("snapshot bytes " + position + " of " + header.bodyLength());
                }
                checkEnd(in, crc, header, object.name());
                bytes += ArchiveFormat.HEADER_SIZE + position;
                file.force();
            }
            io.move(temp, directory.resolve(SnapshotFiles.fileName(object.lsn())));
            io.syncDirectory(directory);
        }

        /** Writes the records of one object from {@code next} up to {@code last}; returns the next LSN. */
        private long restoreLog(ArchiveCatalog.LogObject object, LogWriter writer, long next, long last)
                throws IOException {
            try (InputStream in = target.get(object.name())) {
                ArchiveFormat.Header header = readHeader(in, object.name());
                check(header.kind() == ArchiveFormat.KIND_LOG && header.firstLsn() == object.firstLsn()
                        && header.lastLsn() == object.lastLsn() && header.earliestMicros() == object.earliestMicros()
                        && header.latestMicros() == object.latestMicros(), object.name(), header);
                checkSize(header, object.size(), object.name());
                CRC32C crc = new CRC32C();
                long read = 0;
                byte[] frame = new byte[ArchiveFormat.RECORD_OVERHEAD];
                for (long lsn = header.firstLsn(); lsn <= header.lastLsn(); lsn++) {
                    if (read + frame.length > header.bodyLength()) {
                        throw new ArchiveCorruptException(object.name(), "its body ends before LSN " + lsn);
                    }
                    readExactly(in, frame, frame.length, object.name());
                    crc.update(frame);
                    ByteBuffer fields = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
                    long length = Integer.toUnsignedLong(fields.getInt(0));
                    byte type = fields.get(4);
                    read += frame.length;
                    if (length > header.bodyLength() - read || type == 0) {
                        throw new ArchiveCorruptException(object.name(), "the record at LSN " + lsn + " claims "
                                + length + " bytes of type " + type + ", which its body does not hold");
                    }
                    byte[] payload = new byte[(int) length];
                    readExactly(in, payload, payload.length, object.name());
                    crc.update(payload);
                    read += length;
                    if (lsn < next || lsn > last || stopped) {
                        continue; // read for the checksum only
                    }
                    if (type == MutationCodec.TRANSACTION_RECORD && committedAfterStop(payload)) {
                        stopped = true;
                        continue;
                    }
                    long written = writer.write(type, ByteBuffer.wrap(payload));
                    if (written != lsn) {
                        throw new IllegalStateException("restore wrote LSN " + written + " where " + lsn + " was due");
                    }
                    next = lsn + 1;
                    records++;
                    progress("LSN " + lsn + " of " + last);
                }
                if (read != header.bodyLength()) {
                    throw new ArchiveCorruptException(object.name(), "its body holds " + (header.bodyLength() - read)
                            + " bytes after its last record");
                }
                checkEnd(in, crc, header, object.name());
                bytes += ArchiveFormat.HEADER_SIZE + read;
            }
            return next;
        }

        private boolean committedAfterStop(byte[] payload) {
            try {
                long micros = MutationCodec.commitTimeMicros(ByteBuffer.wrap(payload));
                return micros != MutationCodec.UNKNOWN_COMMIT_TIME && micros > stopAfterMicros;
            } catch (MalformedDataException e) {
                return false; // restored as the log held it; opening the graph reports it
            }
        }

        private ArchiveFormat.Header readHeader(InputStream in, String name) throws IOException {
            ArchiveFormat.Header header = ArchiveFormat.decodeHeader(
                    ArchiveFormat.readFully(in, ArchiveFormat.HEADER_SIZE, name), name);
            if (!header.graphId().equals(graphId) || header.timeline() != timeline) {
                throw new ArchiveCorruptException(name, "it belongs to graph " + header.graphId() + " timeline "
                        + header.timeline() + ", not graph " + graphId + " timeline " + timeline
                        + " (a foreign or misplaced object)");
            }
            return header;
        }

        private static void check(boolean matches, String name, ArchiveFormat.Header header) {
            if (!matches) {
                throw new ArchiveCorruptException(name, "its header " + header + " does not match its name");
            }
        }

        /** The body length must be what the listing says is there, which bounds every allocation by real bytes. */
        private static void checkSize(ArchiveFormat.Header header, long size, String name) {
            if (header.bodyLength() != size - ArchiveFormat.HEADER_SIZE) {
                throw new ArchiveCorruptException(name, "its header gives a body of " + header.bodyLength()
                        + " bytes, but the object is " + size + " bytes (truncated or padded)");
            }
        }

        private static void checkEnd(InputStream in, CRC32C crc, ArchiveFormat.Header header, String name)
                throws IOException {
            if (in.read() >= 0) {
                throw new ArchiveCorruptException(name, "it holds bytes after its body");
            }
            if ((int) crc.getValue() != header.bodyCrc()) {
                throw new ArchiveCorruptException(name, "its body checksum does not match (damaged)");
            }
        }

        private static void readExactly(InputStream in, byte[] into, int length, String name) throws IOException {
            if (in.readNBytes(into, 0, length) != length) {
                throw new ArchiveCorruptException(name, "it ends early (truncated)");
            }
        }

        private void progress(String where) {
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
                lastProgress = System.nanoTime();
                log.info("GraphWAL restore of {}: {}", directory, where);
            }
        }
    }
}
