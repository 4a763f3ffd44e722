package io.graphwal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an archive holds, read from one listing: the manifest, and per timeline its log objects and
 * snapshots, with the LSN and commit-time ranges their names give. It answers which points a timeline can be
 * restored to and which objects a restore to one of them reads; {@code wal archive-list} prints it.
 *
 * <p>Object names, relative to the target:
 * <pre>
 * graph.manifest                                               the graph the archive holds
 * timelines/T/timeline.manifest                                a timeline (T: 10 digits) and where it forked
 * timelines/T/log/FIRST-LAST_EARLIEST-LATEST.segment|.tail     records FIRST..LAST (LSNs: 20 digits),
 *                                                              commit times in microseconds since the epoch
 * timelines/T/snapshots/LSN_TIME.snap                          a snapshot at LSN, committed at TIME
 * </pre>
 * A {@code .tail} object holds durable records of the active segment, shipped between seals; a
 * {@code .segment} one records of sealed segments, shipped again when they seal to replace small tails, which
 * are deleted then (a large tail is kept instead). Objects of one timeline may overlap; a restore reads each
 * LSN once. Names that match none of these are listed as
 * unrecognised and otherwise ignored.
 */
public final class ArchiveCatalog {

    static final String MANIFEST = "graph.manifest";
    static final String TIMELINES = "timelines/";

    private final boolean hasManifest;
    private final TreeMap<Long, Timeline> timelines;
    private final List<String> unrecognised;

    private ArchiveCatalog(boolean hasManifest, TreeMap<Long, Timeline> timelines, List<String> unrecognised) {
        this.hasManifest = hasManifest;
        this.timelines = timelines;
        this.unrecognised = unrecognised;
    }

    /** A log object in a listing. */
    record LogObject(String name, long timeline, long firstLsn, long lastLsn, long earliestMicros, long latestMicros,
            boolean segment, long size) {
    }

    /** A snapshot object in a listing. */
    record SnapshotObject(String name, long timeline, long lsn, long micros, long size) {
    }

    /** One timeline's objects, log objects by first LSN (then last), snapshots by LSN. */
    record Timeline(long id, boolean hasManifest, List<LogObject> log, List<SnapshotObject> snapshots) {

        /**
         * The newest LSN this timeline restores to: the furthest end of an unbroken run of log objects from a
         * snapshot (or from LSN 1), or of a snapshot alone; 0 if it holds nothing restorable.
         */
        long newestLsn() {
            long newest = 0;
            for (long base : bases()) {
                newest = Math.max(newest, extend(base));
            }
            return newest;
        }

        /** The LSNs a restore may start from: each snapshot's, and 0 if the log reaches back to LSN 1. */
        List<Long> bases() {
            List<Long> bases = new ArrayList<>();
            if (!log.isEmpty() && log.get(0).firstLsn() == 1) {
                bases.add(0L);
            }
            for (SnapshotObject snapshot : snapshots) {
                bases.add(snapshot.lsn());
            }
            return bases;
        }

        /** How far an unbroken run of log objects reaches from {@code base}, the LSN already restored. */
        long extend(long base) {
            return chain(base, Long.MAX_VALUE, null);
        }

        /**
         * Walks the log objects after {@code base} up to {@code target}, adding each one used to {@code used}
         * (if not null), and returns the last LSN reached.
         */
        long chain(long base, long target, List<LogObject> used) {
            long next = base + 1;
            int i = 0;
            while (next <= target) {
                LogObject best = null;
                for (; i < log.size() && log.get(i).firstLsn() <= next; i++) {
                    LogObject candidate = log.get(i);
                    if (candidate.lastLsn() >= next && (best == null || candidate.lastLsn() > best.lastLsn())) {
                        best = candidate;
                    }
                }
                // Objects starting at or before next were all looked at; one that ended before next cannot
                // help later, and the best one is kept as the step.
                if (best == null) {
                    break;
                }
                if (used != null) {
                    used.add(best);
                }
                next = best.lastLsn() + 1;
            }
            return next - 1;
        }

        /** The LSN ranges the log objects cover, merged, as text: "1..500, 601..900". */
        String coverage() {
            List<long[]> ranges = new ArrayList<>();
            for (LogObject object : log) {
                long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && object.firstLsn() <= last[1] + 1) {
                    last[1] = Math.max(last[1], object.lastLsn());
                } else {
                    ranges.add(new long[] {object.firstLsn(), object.lastLsn()});
                }
            }
            if (ranges.isEmpty()) {
                return "no log";
            }
            StringBuilder text = new StringBuilder("the log for LSN ");
            for (int i = 0; i < ranges.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(ranges.get(i)[0]).append("..").append(ranges.get(i)[1]);
            }
            return text.toString();
        }

        /** Snapshots and log held, as text for messages. */
        String holdings() {
            StringBuilder text = new StringBuilder("timeline ").append(id).append(" holds ");
            if (snapshots.isEmpty()) {
                text.append("no snapshot");
            } else {
                text.append("snapshots at LSN ");
                for (int i = 0; i < snapshots.size(); i++) {
                    text.append(i == 0 ? "" : ", ").append(snapshots.get(i).lsn());
                }
            }
            return text.append(" and ").append(coverage()).toString();
        }
    }

    /**
     * Lists a target and parses what it holds.
     *
     * @param target the archive
     * @return the catalog
     * @throws IOException if the listing fails
     */
    public static ArchiveCatalog read(ArchiveTarget target) throws IOException {
        return parse(target.list(""));
    }

    static ArchiveCatalog parse(List<ArchiveTarget.StoredObject> objects) {
        boolean manifest = false;
        TreeMap<Long, List<LogObject>> logs = new TreeMap<>();
        TreeMap<Long, List<SnapshotObject>> snapshots = new TreeMap<>();
        TreeMap<Long, Boolean> manifests = new TreeMap<>();
        List<String> unrecognised = new ArrayList<>();
        for (ArchiveTarget.StoredObject object : objects) {
            String name = object.name();
            if (name.equals(MANIFEST)) {
                manifest = true;
                continue;
            }
            String[] parts = name.split("/");
            long timeline = parts.length >= 3 && parts[0].equals("timelines") ? digits(parts[1], 10) : -1;
            if (timeline < 1) {
                unrecognised.add(name);
            } else if (parts.length == 3 && parts[2].equals("timeline.manifest")) {
                manifests.put(timeline, true);
            } else {
                LogObject log = parts.length == 4 && parts[2].equals("log")
                        ? parseLog(parts[3], name, timeline, object.size()) : null;
                SnapshotObject snapshot = parts.length == 4 && parts[2].equals("snapshots")
                        ? parseSnapshot(parts[3], name, timeline, object.size()) : null;
                if (log != null) {
                    logs.computeIfAbsent(timeline, t -> new ArrayList<>()).add(log);
                } else if (snapshot != null) {
                    snapshots.computeIfAbsent(timeline, t -> new ArrayList<>()).add(snapshot);
                } else {
                    unrecognised.add(name);
                }
            }
        }
        TreeMap<Long, Timeline> timelines = new TreeMap<>();
        for (Long id : union(manifests, logs, snapshots)) {
            List<LogObject> log = new ArrayList<>(logs.getOrDefault(id, List.of()));
            log.sort(Comparator.comparingLong(LogObject::firstLsn).thenComparingLong(LogObject::lastLsn));
            List<SnapshotObject> snaps = new ArrayList<>(snapshots.getOrDefault(id, List.of()));
            snaps.sort(Comparator.comparingLong(SnapshotObject::lsn));
            timelines.put(id, new Timeline(id, manifests.containsKey(id), List.copyOf(log), List.copyOf(snaps)));
        }
        return new ArchiveCatalog(manifest, timelines, List.copyOf(unrecognised));
    }

    private static java.util.SortedSet<Long> union(Map<Long, ?>... maps) {
        java.util.TreeSet<Long> ids = new java.util.TreeSet<>();
        for (Map<Long, ?> map : maps) {
            ids.addAll(map.keySet());
        }
        return ids;
    }

    private static LogObject parseLog(String file, String name, long timeline, long size) {
        boolean segment = file.endsWith(".segment");
        if (!segment && !file.endsWith(".tail")) {
            return null;
        }
        String stem = file.substring(0, file.lastIndexOf('.'));
        String[] halves = stem.split("_");
        if (halves.length != 2) {
            return null;
        }
        String[] lsns = halves[0].split("-");
        String[] times = halves[1].split("-");
        if (lsns.length != 2 || times.length != 2) {
            return null;
        }
        long first = digits(lsns[0], 20);
        long last = digits(lsns[1], 20);
        long earliest = number(times[0]);
        long latest = number(times[1]);
        if (first < 1 || last < first || earliest < 0 || latest < 0) {
            return null;
        }
        return new LogObject(name, timeline, first, last, earliest, latest, segment, size);
    }

    private static SnapshotObject parseSnapshot(String file, String name, long timeline, long size) {
        if (!file.endsWith(".snap")) {
            return null;
        }
        String[] halves = file.substring(0, file.length() - ".snap".length()).split("_");
        if (halves.length != 2) {
            return null;
        }
        long lsn = digits(halves[0], 20);
        long micros = number(halves[1]);
        return lsn < 1 || micros < 0 ? null : new SnapshotObject(name, timeline, lsn, micros, size);
    }

    /** A number of exactly {@code width} decimal digits, or -1. */
    private static long digits(String text, int width) {
        return text.length() == width ? number(text) : -1;
    }

    /** A non-negative decimal number that fits a long, or -1. */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > 20) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static String timelinePrefix(long timeline) {
        return TIMELINES + String.format("%010d", timeline) + "/";
    }

    static String timelineManifestName(long timeline) {
        return timelinePrefix(timeline) + "timeline.manifest";
    }

    static String logName(long timeline, long first, long last, long earliestMicros, long latestMicros,
            boolean segment) {
        return timelinePrefix(timeline) + "log/" + String.format("%020d-%020d", first, last) + "_" + earliestMicros
                + "-" + latestMicros + (segment ? ".segment" : ".tail");
    }

    static String snapshotName(long timeline, long lsn, long micros) {
        return timelinePrefix(timeline) + "snapshots/" + String.format("%020d", lsn) + "_" + micros + ".snap";
    }

    boolean hasManifest() {
        return hasManifest;
    }

    boolean isEmpty() {
        return !hasManifest && timelines.isEmpty() && unrecognised.isEmpty();
    }

    /** The timelines by id, oldest first. */
    Map<Long, Timeline> timelines() {
        return timelines;
    }

    /** A timeline, or an empty one if the archive holds nothing of it. */
    Timeline timeline(long id) {
        Timeline timeline = timelines.get(id);
        return timeline != null ? timeline : new Timeline(id, false, List.of(), List.of());
    }

    /** The highest timeline id, or 0 if there is none. */
    long newestTimeline() {
        return timelines.isEmpty() ? 0 : timelines.lastKey();
    }

    List<String> unrecognised() {
        return unrecognised;
    }

    /**
     * Describes the archive for operators: per timeline its snapshots, the LSN ranges of its log with their
     * commit times, and the newest point it restores to.
     *
     * @return lines of text
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(hasManifest ? "manifest: " + MANIFEST : "manifest: none (not a GraphWAL archive, or empty)");
        if (timelines.isEmpty()) {
            lines.add("no timelines");
        }
        for (Timeline timeline : timelines.values()) {
            lines.add("timeline " + timeline.id() + (timeline.hasManifest() ? "" : " (no timeline manifest)")
                    + ": restores up to LSN " + timeline.newestLsn());
            for (SnapshotObject snapshot : timeline.snapshots()) {
                lines.add("  snapshot LSN " + snapshot.lsn() + " committed " + time(snapshot.micros()) + ", "
                        + snapshot.size() + " bytes");
            }
            for (LogObject log : timeline.log()) {
                lines.add("  log LSN " + log.firstLsn() + ".." + log.lastLsn() + " committed " + time(log.earliestMicros())
                        + " .. " + time(log.latestMicros()) + ", " + log.size() + " bytes"
                        + (log.segment() ? "" : " (tail)"));
            }
        }
        for (String name : unrecognised) {
            lines.add("unrecognised object: " + name);
        }
        return lines;
    }

    static String time(long micros) {
        return micros == 0 ? "(unknown)" : Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000).toString();
    }

    /** Reads a small object whole (a manifest), refusing one larger than {@code limit}. */
    static byte[] readSmall(ArchiveTarget target, String name, int limit) throws IOException {
        try (InputStream in = target.get(name)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ArchiveCorruptException(name, "it is larger than " + limit + " bytes");
            }
            return bytes;
        }
    }
}
