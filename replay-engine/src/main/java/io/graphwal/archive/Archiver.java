package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.graphwal.concurrent.Threads;
import io.graphwal.graph.MalformedDataException;
import io.graphwal.graph.MutationCodec;
import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.WalException;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WriteAheadLog;

/**
 * Ships a graph's log and snapshots to an {@link ArchiveTarget}, continuously, on a thread of its own.
 *
 * <p><b>What it ships.</b> Each cycle it (1) ships the durable records after the last archived LSN as
 * {@code .tail} objects, (2) settles newly sealed segments, (3) ships the newest local snapshot once the archived
 * log reaches it, and (4) applies retention. Objects hold at most {@link #CHUNK_BYTES} of records each (a
 * single larger record travels alone). Only durable records are shipped. A cycle runs at least every
 * {@code max-lag}, and at once after {@link #requestUpload()} (a checkpoint calls it).
 *
 * <p><b>Settling a seal.</b> A busy log ships large tails: those (a quarter of a chunk or of a segment, if
 * smaller, and more) are kept for good as the archived copy of their records, since shipping the same bytes
 * again would double the archive's cost where it weighs most. The stretches only small tails hold are shipped
 * again from the local log as {@code .segment} objects, and the small tails deleted, so that a quiet log does
 * not leave one object per {@code max-lag} behind.
 *
 * <p><b>Failures.</b> A remote failure is not a local one: every target call runs on a helper thread and
 * counts as failed when it has not completed within {@link ArchiveConfig#attemptTimeout()}; a failed cycle is
 * retried after an exponential backoff with full jitter (100 ms doubling to 30 s), reported through
 * {@link #status()} and the listener, and never reaches the log or a commit. What was stored before the
 * failure counts; the next cycle goes on from there. An archive that belongs to another graph stops the
 * archiver for good (DOWN) instead, since retrying cannot help.
 *
 * <p><b>Purge.</b> The local log is purged only behind what the archive holds in kept objects: the archiver
 * moves its {@code purgeFloor} callback (the database's log hold) past each sealed stretch once it is
 * settled, never earlier. So an unreachable archive makes segments accumulate, not vanish.
 *
 * <p><b>Threads.</b> One daemon thread {@code graphwal-archive[dir]} owns every field but the volatile
 * status ones, which {@link #status()} reads from any thread; a second, {@code graphwal-archive-io[dir]},
 * runs the target calls so that a hung one can be abandoned. {@link #close()} ships a last time what is
 * durable (bounded by the attempt timeout), then stops and joins both.
 */
public final class Archiver implements AutoCloseable {

    /** The most record bytes one log object holds. */
    static final int CHUNK_BYTES = 16 * 1024 * 1024;
    private static final long INITIAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MANIFEST_LIMIT = 4096;

    private static final Logger log = LoggerFactory.getLogger(Archiver.class);

    private final ArchiveConfig config;
    private final ArchiveTarget target;
    private final WriteAheadLog wal;
    private final FileIO io;
    private final Path directory;
    private final LongConsumer purgeFloor;
    private final boolean startedEmpty;
    private final long keepTailBytes;
    private final Thread thread;
    private final ExecutorService calls;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition progressed = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean running = true;

    // Archiver thread only.
    private boolean prepared;
    private long timeline;
    private final List<ArchiveCatalog.LogObject> logObjects = new ArrayList<>();
    private final List<ArchiveCatalog.SnapshotObject> snapshots = new ArrayList<>();
    private LogChunk chunk = new LogChunk();
    // The end of the unbroken run of objects kept for good; the local log is purged only behind it.
    private long keptLsn;
    private long backoffNanos;

    // Status, read from any thread.
    private volatile long archivedLsn;
    private volatile long oldestUnarchivedMicros;
    private volatile long publishedTimeline;
    private volatile ArchiveStatus.Upload lastUpload;
    private volatile ArchiveStatus.Failure lastError;
    private volatile ArchiveException fatal;

    private Archiver(ArchiveConfig config, WriteAheadLog wal, FileIO io, Path directory, LongConsumer purgeFloor,
            boolean startedEmpty) {
        this.config = config;
        this.target = config.target();
        this.wal = wal;
        this.io = io;
        this.directory = directory;
        this.purgeFloor = purgeFloor;
        this.startedEmpty = startedEmpty;
        this.keepTailBytes = Math.min(CHUNK_BYTES, wal.config().segmentSize()) / 4;
        String name = directory.getFileName() == null ? directory.toString() : directory.getFileName().toString();
        this.calls = Executors.newSingleThreadExecutor(runnable -> {
            Thread caller = new Thread(runnable, "graphwal-archive-io[" + name + "]");
            caller.setDaemon(true);
            return caller;
        });
        this.thread = new Thread(this::run, "graphwal-archive[" + name + "]");
        this.thread.setDaemon(true);
    }

    /**
     * Starts archiving a graph's directory. Reaches the archive once before returning, so that an archive of
     * another graph is refused at startup; an archive that cannot be reached is only logged and retried.
     *
     * @param config the archive configuration
     * @param wal the open log
     * @param io the file system of the directory
     * @param directory the data directory (the log's and the snapshots')
     * @param purgeFloor told the oldest LSN the archive still needs locally; the log must not be purged
     *     from that LSN on (until first told, nothing may be purged)
     * @param startedEmpty whether the directory held no segment and no snapshot before this start
     * @return the running archiver, which the caller closes before the log
     * @throws ArchiveException if the archive holds another graph or cannot be used for this one
     */
    public static Archiver start(ArchiveConfig config, WriteAheadLog wal, FileIO io, Path directory,
            LongConsumer purgeFloor, boolean startedEmpty) {
        Archiver archiver = new Archiver(config, wal, io, directory, purgeFloor, startedEmpty);
        try {
            archiver.prepare();
        } catch (ArchiveException e) {
            archiver.calls.shutdownNow();
            throw e;
        } catch (IOException e) {
            log.warn("GraphWAL cannot reach the archive {} at startup ({}); the graph starts anyway, keeps every "
                    + "segment until the archive is reached, and retries", config.target().describe(),
                    e.getMessage());
            archiver.recordFailure(e);
        }
        archiver.thread.start();
        return archiver;
    }

    /** Asks for a cycle now, e.g. because a checkpoint wrote a snapshot. */
    public void requestUpload() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every LSN up to {@code lsn} is archived, asking for a cycle first.
     *
     * @param lsn a durable LSN
     * @param timeout how long to wait at most
     * @return whether it was archived in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitArchived(long lsn, Duration timeout) throws InterruptedException {
        requestUpload();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (archivedLsn < lsn && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progressed.awaitNanos(left);
            }
            return archivedLsn >= lsn;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the archiver's state for the status endpoint, health and metrics.
     *
     * @return the status
     */
    public ArchiveStatus status() {
        long durable = wal.durableLsn();
        long archived = archivedLsn;
        long lag = 0;
        if (durable > archived) {
            long oldest = oldestUnarchivedMicros;
            lag = oldest == 0 ? 0 : Math.max(0, config.clock().millis() - oldest / 1000);
        }
        boolean down = fatal != null
                || lag > config.maxLag().toMillis() * ArchiveConfig.DOWN_AFTER_MAX_LAGS;
        ArchiveStatus.Failure error = fatal != null ? new ArchiveStatus.Failure(lastError == null ? Instant.now()
                : lastError.at(), fatal.getMessage()) : lastError;
        return new ArchiveStatus(target.describe(), publishedTimeline, archived, lag, lastUpload, error, down);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The archiver thread.

    private void run() {
        while (running) {
            try {
                cycle();
                backoffNanos = 0;
                lastError = null;
                waitForWork(config.maxLag().toNanos());
            } catch (ArchiveException e) {
                stopForGood(e);
                return;
            } catch (IOException | RuntimeException e) {
                recordFailure(e);
                backoffNanos = backoffNanos == 0 ? INITIAL_BACKOFF_NANOS
                        : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
                // Full jitter: many instances that lost their archive together do not retry in step.
                waitForWork(ThreadLocalRandom.current().nextLong(backoffNanos / 2, backoffNanos + 1));
            }
        }
    }

    private void stopForGood(ArchiveException e) {
        fatal = e;
        log.error("GraphWAL stopped archiving {}: {}", directory, e.getMessage());
        config.listener().failed(e);
        signalProgress();
    }

    private void recordFailure(Exception e) {
        lastError = new ArchiveStatus.Failure(Instant.now(), e.getMessage() == null ? e.toString() : e.getMessage());
        log.warn("GraphWAL archiving to {} failed, will retry: {}", target.describe(), e.toString());
        config.listener().failed(e);
    }

    /** Waits up to {@code nanos} or until woken; a timed wait only paces the cycles, it orders nothing. */
    private void waitForWork(long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (running && !wakeRequested && left > 0) {
                left = wake.awaitNanos(left);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One round of work: the durable tail, then what is sealed, then a snapshot and retention. */
    private void cycle() throws IOException {
        // First, from the local log alone: an archive that cannot be reached must still show its lag.
        noteOldestUnarchived();
        if (!prepared) {
            prepare();
        }
        // The tail first: records a segment sealed since the last cycle then travel in a tail, which settling
        // may keep, instead of in a .segment object and a small tail split off it.
        shipTail();
        shipSealed();
        shipSnapshot();
        // Every cycle, not only after a snapshot upload: a graph that stops checkpointing still ages out of
        // the window, and the objects only its older points needed must go then.
        applyRetention();
        noteOldestUnarchived();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reaching the archive: its manifest, this directory's timeline, and what the timeline already holds.

    private void prepare() throws IOException {
        ArchiveCatalog catalog = ArchiveCatalog.parse(call(() -> target.list("")));
        String graphId = wal.graphId();
        if (!catalog.hasManifest()) {
            if (!catalog.isEmpty()) {
                throw new ArchiveException("The archive " + target.describe() + " holds objects but no "
                        + ArchiveCatalog.MANIFEST + ", so it is not a GraphWAL archive or it was damaged; point "
                        + "graphwal.archive at an empty location, or restore the manifest");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("graph", graphId);
            fields.put("created", Instant.now().toString());
            put(ArchiveCatalog.MANIFEST, ManifestText.encode(ArchiveManifests.GRAPH_KIND, 1, fields));
        } else {
            String archived = ArchiveManifests.graphId(call(() -> ArchiveCatalog.readSmall(target,
                    ArchiveCatalog.MANIFEST, MANIFEST_LIMIT)));
            if (!archived.equals(graphId)) {
                throw startedEmpty
                        ? new ArchiveException("The directory " + directory + " was empty, but the archive "
                                + target.describe() + " holds graph " + archived + ": starting a new graph there "
                                + "would fork it. Set graphwal.archive.restore-if-empty=true to restore it first, "
                                + "restore it with 'wal restore', or point graphwal.archive at another location")
                        : new ArchiveException("The archive " + target.describe() + " holds graph " + archived
                                + ", but the directory " + directory + " holds graph " + graphId + "; an archive "
                                + "holds one graph. Point graphwal.archive at another location (another directory "
                                + "or S3 prefix)");
            }
        }
        chooseTimeline(catalog);
        ArchiveCatalog.Timeline mine = catalog.timeline(timeline);
        logObjects.clear();
        logObjects.addAll(mine.log());
        snapshots.clear();
        snapshots.addAll(mine.snapshots());
        long restorable = mine.newestLsn();
        keptLsn = keptEnd(mine);
        long localFirst = wal.firstLsn();
        if (restorable + 1 < localFirst) {
            // The archive's history of this timeline stops before what the directory still holds (an archive
            // begun late, or one that lost objects): the newest local snapshot is the base to go on from.
            long base = shipBaseSnapshot(localFirst);
            restorable = base;
            keptLsn = base;
        }
        archivedLsn = restorable;
        prepared = true;
        purgeFloor.accept(keptLsn + 1);
        signalProgress();
        log.info("GraphWAL archives {} to {} timeline {}: archived up to LSN {}", directory, target.describe(),
                timeline, archivedLsn);
    }

    /**
     * The end of the unbroken run of kept objects ({@code .segment} ones and large {@code .tail} ones) from
     * the timeline's newest-reaching base: what the local log no longer needs to hold.
     */
    private long keptEnd(ArchiveCatalog.Timeline timeline) {
        List<ArchiveCatalog.LogObject> kept = new ArrayList<>();
        for (ArchiveCatalog.LogObject object : timeline.log()) {
            if (object.segment() || isLargeTail(object)) {
                kept.add(object);
            }
        }
        ArchiveCatalog.Timeline keptOnly = new ArchiveCatalog.Timeline(timeline.id(), true, kept,
                timeline.snapshots());
        return keptOnly.newestLsn();
    }

    private void chooseTimeline(ArchiveCatalog catalog) throws IOException {
        LocalTimeline local = LocalTimeline.read(io, directory);
        if (local != null && !local.pending()) {
            ArchiveCatalog.Timeline existing = catalog.timelines().get(local.timeline());
            if (existing != null && existing.hasManifest()) {
                String name = ArchiveCatalog.timelineManifestName(local.timeline());
                String token = ArchiveManifests.timelineToken(call(() -> ArchiveCatalog.readSmall(target, name,
                        MANIFEST_LIMIT)), name, wal.graphId(), local.timeline());
                if (!token.equals(local.token())) {
                    throw new ArchiveException("Timeline " + local.timeline() + " in " + target.describe()
                            + " was opened by another copy of this graph (its manifest carries another token "
                            + "than " + directory.resolve(LocalTimeline.FILE_NAME) + "); delete that file to "
                            + "archive this directory as a new timeline");
                }
            } else {
                putTimelineManifest(local);
            }
            timeline = local.timeline();
            publishedTimeline = timeline;
            return;
        }
        long parent = local == null ? 0 : local.parent();
        long parentLsn = local == null ? 0 : local.parentLsn();
        while (true) {
            long next = catalog.newestTimeline() + 1;
            LocalTimeline chosen = new LocalTimeline(next, UUID.randomUUID().toString(), parent, parentLsn);
            putTimelineManifest(chosen);
            // Two restored copies may pick the same number at once: the one whose token is stored wins.
            String name = ArchiveCatalog.timelineManifestName(next);
            String stored = ArchiveManifests.timelineToken(call(() -> ArchiveCatalog.readSmall(target, name,
                    MANIFEST_LIMIT)), name, wal.graphId(), next);
            if (stored.equals(chosen.token())) {
                chosen.write(io, directory);
                timeline = next;
                publishedTimeline = timeline;
                log.info("GraphWAL opened archive timeline {} in {}{}", next, target.describe(), parent == 0 ? ""
                        : " (forked from timeline " + parent + " at LSN " + parentLsn + ")");
                return;
            }
            catalog = ArchiveCatalog.parse(call(() -> target.list("")));
        }
    }

    private void putTimelineManifest(LocalTimeline local) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("graph", wal.graphId());
        fields.put("timeline", Long.toString(local.timeline()));
        fields.put("token", local.token());
        fields.put("parent", Long.toString(local.parent()));
        fields.put("parent-lsn", Long.toString(local.parentLsn()));
        fields.put("created", Instant.now().toString());
        put(ArchiveCatalog.timelineManifestName(local.timeline()),
                ManifestText.encode(ArchiveManifests.TIMELINE_KIND, 1, fields));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shipping.

    /**
     * Settles the stretch up to the sealed LSN: a stretch a large {@code .tail} object already holds is kept as
     * it is, the rest is shipped again as {@code .segment} objects, after which the small tails it covers go.
     * Then the purge floor moves past it.
     */
    private void shipSealed() throws IOException {
        long sealed = Math.min(wal.sealedLsn(), wal.durableLsn());
        if (sealed <= keptLsn) {
            return;
        }
        while (keptLsn < sealed) {
            long from = keptLsn + 1;
            ArchiveCatalog.LogObject large = largeTailHolding(from);
            if (large != null) {
                keptLsn = large.lastLsn();
                continue;
            }
            long to = sealed;
            for (ArchiveCatalog.LogObject object : logObjects) {
                if (isLargeTail(object) && object.firstLsn() > from) {
                    to = Math.min(to, object.firstLsn() - 1);
                    break;
                }
            }
            shipLog(Math.max(from, wal.firstLsn()), to, true);
            keptLsn = to;
        }
        List<ArchiveCatalog.LogObject> covered = new ArrayList<>();
        for (ArchiveCatalog.LogObject object : logObjects) {
            if (!object.segment() && !isLargeTail(object) && object.lastLsn() <= keptLsn && coveredByKept(object)) {
                covered.add(object);
            }
        }
        for (ArchiveCatalog.LogObject tail : covered) {
            call(() -> {
                target.delete(tail.name());
                return null;
            });
            logObjects.remove(tail);
        }
        purgeFloor.accept(keptLsn + 1);
    }

    /**
     * Whether a log object is a {@code .tail} large enough to keep for good: compacting it would ship its
     * bytes a second time and save few objects. Decided by size alone, so that a restart decides alike.
     */
    private boolean isLargeTail(ArchiveCatalog.LogObject object) {
        return !object.segment() && object.size() >= keepTailBytes;
    }

    private ArchiveCatalog.LogObject largeTailHolding(long lsn) {
        for (ArchiveCatalog.LogObject object : logObjects) {
            if (isLargeTail(object) && object.firstLsn() <= lsn && object.lastLsn() >= lsn) {
                return object;
            }
        }
        return null;
    }

    /** Whether kept objects other than {@code tail} hold every LSN of it, so that deleting it loses nothing. */
    private boolean coveredByKept(ArchiveCatalog.LogObject tail) {
        long next = tail.firstLsn();
        for (ArchiveCatalog.LogObject object : logObjects) {
            if ((object.segment() || isLargeTail(object)) && object.firstLsn() <= next && object.lastLsn() >= next) {
                next = object.lastLsn() + 1;
            }
        }
        return next > tail.lastLsn();
    }

    private void shipTail() throws IOException {
        long durable = wal.durableLsn();
        if (durable > archivedLsn) {
            shipLog(archivedLsn + 1, durable, false);
        }
    }

    /** Ships records {@code from..to} in objects of at most {@link #CHUNK_BYTES}, advancing the archived LSN. */
    private void shipLog(long from, long to, boolean segment) throws IOException {
        try (WalReader reader = wal.reader(from)) {
            chunk.reset();
            while (reader.lsn() < to && reader.next()) {
                ByteBuffer payload = reader.payload();
                if (!chunk.isEmpty() && chunk.bodyLength() + ArchiveFormat.RECORD_OVERHEAD + payload.remaining()
                        > CHUNK_BYTES) {
                    storeChunk(segment);
                    chunk.reset();
                }
                chunk.add(reader.lsn(), reader.type(), payload);
            }
            if (!chunk.isEmpty()) {
                storeChunk(segment);
            }
        } catch (WalException e) {
            throw new IOException("cannot read the local log to archive LSN " + from + ".." + to + ": "
                    + e.getMessage(), e);
        }
    }

    private void storeChunk(boolean segment) throws IOException {
        ArchiveFormat.Header header = new ArchiveFormat.Header(ArchiveFormat.KIND_LOG, wal.graphId(), timeline,
                chunk.firstLsn(), chunk.lastLsn(), chunk.earliestMicros(), chunk.latestMicros(), chunk.bodyLength(),
                chunk.crc());
        String name = ArchiveCatalog.logName(timeline, chunk.firstLsn(), chunk.lastLsn(), chunk.earliestMicros(),
                chunk.latestMicros(), segment);
        ArchiveTarget.ObjectContent object = chunk.content(header.encode());
        try {
            call(() -> {
                target.put(name, object);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // A put abandoned after its timeout may still be reading the buffer: it keeps that one to itself.
            chunk = new LogChunk();
            throw e;
        }
        logObjects.add(new ArchiveCatalog.LogObject(name, timeline, chunk.firstLsn(), chunk.lastLsn(),
                chunk.earliestMicros(), chunk.latestMicros(), segment, object.length()));
        logObjects.sort(java.util.Comparator.comparingLong(ArchiveCatalog.LogObject::firstLsn)
                .thenComparingLong(ArchiveCatalog.LogObject::lastLsn));
        String kind = segment ? "segment" : "tail";
        uploaded(name, kind, object.length());
        if (chunk.lastLsn() > archivedLsn) {
            archivedLsn = chunk.lastLsn();
            signalProgress();
        }
    }

    private void shipSnapshot() throws IOException {
        List<Path> local = SnapshotFiles.list(io, directory);
        if (local.isEmpty()) {
            return;
        }
        long newest = SnapshotFiles.parseFileName(local.get(0).getFileName().toString());
        long archivedSnapshot = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1).lsn();
        if (newest <= archivedSnapshot || newest > archivedLsn) {
            return; // shipped already, or the archived log does not reach it yet
        }
        shipSnapshotFile(local.get(0), newest);
    }

    /** Ships the newest local snapshot as a new base after a gap, returning its LSN. */
    private long shipBaseSnapshot(long localFirst) throws IOException {
        List<Path> local = SnapshotFiles.list(io, directory);
        if (local.isEmpty()) {
            throw new IOException("the log in " + directory + " starts at LSN " + localFirst + " and there is no "
                    + "snapshot to archive as a base");
        }
        long lsn = SnapshotFiles.parseFileName(local.get(0).getFileName().toString());
        shipSnapshotFile(local.get(0), lsn);
        return lsn;
    }

    private void shipSnapshotFile(Path file, long lsn) throws IOException {
        long size;
        int crc;
        try {
            size = Files.size(file);
            crc = crcOf(file, size);
        } catch (NoSuchFileException e) {
            return; // removed by retention meanwhile: a newer one will come
        }
        long micros = commitTimeOf(lsn, file);
        ArchiveFormat.Header header = new ArchiveFormat.Header(ArchiveFormat.KIND_SNAPSHOT, wal.graphId(), timeline,
                lsn, lsn, micros, micros, size, crc);
        byte[] head = header.encode();
        String name = ArchiveCatalog.snapshotName(timeline, lsn, micros);
        call(() -> {
            target.put(name, new ArchiveTarget.ObjectContent() {
                @Override
                public long length() {
                    return head.length + size;
                }

                @Override
                public InputStream open() throws IOException {
                    return new SequenceInputStream(new java.io.ByteArrayInputStream(head), Files.newInputStream(file));
                }
            });
            return null;
        });
        snapshots.add(new ArchiveCatalog.SnapshotObject(name, timeline, lsn, micros, head.length + size));
        snapshots.sort(java.util.Comparator.comparingLong(ArchiveCatalog.SnapshotObject::lsn));
        uploaded(name, "snapshot", head.length + size);
    }

    private static int crcOf(Path file, long size) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                total += n;
            }
            if (total != size) {
                throw new IOException(file + " changed size while it was read for the archive");
            }
        }
        return (int) crc.getValue();
    }

    /**
     * The commit time of the transaction at {@code lsn}, read from the local log while it holds it; otherwise
     * the file's modification time, which is later and so keeps retention on the safe side.
     */
    private long commitTimeOf(long lsn, Path file) throws IOException {
        if (lsn >= wal.firstLsn() && lsn <= wal.appendedLsn()) {
            try (WalReader reader = wal.reader(lsn)) {
                if (reader.next() && reader.type() == MutationCodec.TRANSACTION_RECORD) {
                    long micros = MutationCodec.commitTimeMicros(reader.payload());
                    if (micros != MutationCodec.UNKNOWN_COMMIT_TIME) {
                        return micros;
                    }
                }
            } catch (WalException | MalformedDataException e) {
                // fall back to the file's time
            }
        }
        return Files.getLastModifiedTime(file).toMillis() * 1000;
    }

    /**
     * Deletes what no point of the retention window needs: the newest snapshot committed before the window
     * opened is the oldest base kept; older snapshots and log objects wholly at or below it go.
     */
    private void applyRetention() throws IOException {
        long windowStart = (config.clock().millis() - config.retention().toMillis()) * 1000;
        ArchiveCatalog.SnapshotObject base = null;
        for (ArchiveCatalog.SnapshotObject snapshot : snapshots) {
            if (snapshot.micros() > 0 && snapshot.micros() <= windowStart) {
                base = snapshot;
            }
        }
        if (base == null) {
            return;
        }
        long baseLsn = base.lsn();
        for (ArchiveCatalog.SnapshotObject old : List.copyOf(snapshots)) {
            if (old.lsn() < baseLsn) {
                call(() -> {
                    target.delete(old.name());
                    return null;
                });
                snapshots.remove(old);
            }
        }
        for (ArchiveCatalog.LogObject old : List.copyOf(logObjects)) {
            if (old.lastLsn() <= baseLsn) {
                call(() -> {
                    target.delete(old.name());
                    return null;
                });
                logObjects.remove(old);
            }
        }
    }

    private void uploaded(String name, String kind, long bytes) {
        lastUpload = new ArchiveStatus.Upload(Instant.now(), name, bytes);
        config.listener().uploaded(kind, bytes);
    }

    /** Reads the commit time of the first durable transaction not archived yet, for the lag. */
    private void noteOldestUnarchived() {
        long next = archivedLsn + 1;
        if (next > wal.durableLsn() || next < wal.firstLsn()) {
            oldestUnarchivedMicros = 0;
            return;
        }
        try (WalReader reader = wal.reader(next)) {
            oldestUnarchivedMicros = reader.next() ? MutationCodec.commitTimeMicros(reader.payload()) : 0;
        } catch (WalException | MalformedDataException e) {
            oldestUnarchivedMicros = 0;
        }
    }

    private void put(String name, byte[] bytes) throws IOException {
        call(() -> {
            target.put(name, ArchiveTarget.ObjectContent.of(bytes));
            return null;
        });
    }

    /** Runs one target call on the helper thread, failing it when it takes longer than the attempt timeout. */
    private <T> T call(Callable<T> work) throws IOException {
        Future<T> future = calls.submit(work);
        try {
            return future.get(config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("an archive call to " + target.describe() + " did not complete within "
                    + config.attemptTimeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while archiving to " + target.describe(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Ships what is durable one last time (if the archive is reachable; bounded by the attempt timeout per
     * call), then stops and joins the archiver's threads and closes the target.
     */
    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            wake.signalAll();
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
        Threads.joinUninterruptibly(thread);
        // Held back until the last shipping is done: an interrupted upload would lose it.
        boolean interrupted = Thread.interrupted();
        if (fatal == null && lastError == null && prepared) {
            try {
                shipTail();
                shipSealed();
            } catch (IOException | RuntimeException e) {
                log.warn("GraphWAL could not archive the last records of {} on close: {}", directory, e.toString());
            }
        }
        calls.shutdownNow();
        try {
            if (!calls.awaitTermination(config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("GraphWAL archive call to {} still running after close", target.describe());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            target.close();
        } catch (IOException e) {
            log.warn("GraphWAL could not close the archive target {}: {}", target.describe(), e.toString());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records gathered into one log object's body, with their range and commit times. One buffer serves every
     * object the archiver ships, grown to the largest and kept, so that a busy log does not allocate a
     * chunk-sized array per object.
     */
    private static final class LogChunk {
        private byte[] body = new byte[64 * 1024];
        private ByteBuffer view = ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long firstLsn;
        private long lastLsn;
        private long earliest;
        private long latest;

        boolean isEmpty() {
            return firstLsn == 0;
        }

        /** Empties the chunk for the next object, keeping its buffer. */
        void reset() {
            view.clear();
            crc.reset();
            firstLsn = 0;
            lastLsn = 0;
            earliest = 0;
            latest = 0;
        }

        void add(long lsn, byte type, ByteBuffer payload) {
            if (firstLsn == 0) {
                firstLsn = lsn;
            }
            lastLsn = lsn;
            if (type == MutationCodec.TRANSACTION_RECORD) {
                try {
                    long micros = MutationCodec.commitTimeMicros(payload);
                    if (micros != MutationCodec.UNKNOWN_COMMIT_TIME) {
                        earliest = earliest == 0 ? micros : Math.min(earliest, micros);
                        latest = Math.max(latest, micros);
                    }
                } catch (MalformedDataException e) {
                    // replay refuses such a record; the archive keeps it as the log does
                }
            }
            int start = view.position();
            int frame = ArchiveFormat.RECORD_OVERHEAD + payload.remaining();
            if (body.length - start < frame) {
                body = java.util.Arrays.copyOf(body, (int) Math.min(Integer.MAX_VALUE - 8,
                        Math.max(2L * body.length, (long) start + frame)));
                view = ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN).position(start);
            }
            view.putInt(payload.remaining()).put(type).put(payload.duplicate());
            crc.update(body, start, frame);
        }

        long firstLsn() {
            return firstLsn;
        }

        long lastLsn() {
            return lastLsn;
        }

        long earliestMicros() {
            return earliest;
        }

        long latestMicros() {
            return latest;
        }

        int bodyLength() {
            return view.position();
        }

        int crc() {
            return (int) crc.getValue();
        }

        /** The object, header then body, read from this chunk's buffer: valid until the next {@link #reset()}. */
        ArchiveTarget.ObjectContent content(byte[] header) {
            byte[] bytes = body;
            int length = bodyLength();
            return new ArchiveTarget.ObjectContent() {
                @Override
                public long length() {
                    return header.length + (long) length;
                }

                @Override
                public InputStream open() {
                    return new SequenceInputStream(new java.io.ByteArrayInputStream(header),
                            new java.io.ByteArrayInputStream(bytes, 0, length));
                }
            };
        }
    }
}
