package io.graphwal.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Where benchmarks put their files, and the fairness rules every trial follows (SPEC section 7): each trial
 * gets a fresh directory under one base directory, so every peer writes to the same filesystem; trials bound
 * by fsync first flush the whole machine's dirty pages and pause, because an fsync right after gigabytes of
 * buffered writes costs tens of times more than on a clean page cache.
 *
 * <p>The base directory comes from the system property {@value #DATA_PROPERTY} (the report sets it for
 * every fork), else {@code graphwal-bench} under {@code java.io.tmpdir}. It must be on a real disk: fsync on
 * tmpfs costs nothing and would flatter every fsync-bound result. Sidecar figures that a forked benchmark
 * hands back to the report go to the directory named by {@value #RESULTS_PROPERTY}, when it is set.
 */
public final class TrialFiles {

    /** System property: the base directory for trial directories. */
    public static final String DATA_PROPERTY = "graphwal.bench.data";
    /** System property: the directory for sidecar results written by forks. */
    public static final String RESULTS_PROPERTY = "graphwal.bench.results";
    /**
     * System property: a directory on another device than {@value #DATA_PROPERTY}, for the archive benchmark's
     * archive that does not share the log's disk (default {@code /dev/shm} where it exists).
     */
    public static final String OTHER_DEVICE_PROPERTY = "graphwal.bench.otherDevice";
    /** System property: milliseconds to pause after {@code sync} before an fsync-bound trial. */
    public static final String PAUSE_PROPERTY = "graphwal.bench.pauseMillis";

    private TrialFiles() {
    }

    /**
     * Creates a fresh, empty directory for one trial.
     *
     * @param prefix what the trial is, for anyone looking at the disk while it runs
     * @return the new directory
     */
    public static Path freshDirectory(String prefix) {
        try {
            Path base = base();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a trial directory under " + base()
                    + "; set -D" + DATA_PROPERTY + " to a writable directory on a real disk", e);
        }
    }

    /**
     * Creates a fresh, empty directory on another device than the trial directories, for what must not compete
     * with them for the disk.
     *
     * @param prefix what the directory is for
     * @return the new directory
     */
    public static Path freshOtherDeviceDirectory(String prefix) {
        Path base = otherDevice();
        try {
            return Files.createTempDirectory(base, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + base + "; set -D"
                    + OTHER_DEVICE_PROPERTY + " to a writable directory on another device than " + base(), e);
        }
    }

    static Path otherDevice() {
        String configured = System.getProperty(OTHER_DEVICE_PROPERTY);
        return configured != null && !configured.isBlank() ? Paths.get(configured).toAbsolutePath()
                : Paths.get("/dev/shm");
    }

    static Path base() {
        String configured = System.getProperty(DATA_PROPERTY);
        return configured != null && !configured.isBlank()
                ? Paths.get(configured).toAbsolutePath()
                : Paths.get(System.getProperty("java.io.tmpdir"), "graphwal-bench");
    }

    /**
     * Flushes every dirty page of the machine with the {@code sync} command, where there is one, then pauses,
     * so that an fsync-bound trial does not pay for the writes of the trial before it.
     */
    public static void settleDisk() {
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!sync.waitFor(2, TimeUnit.MINUTES)) {
                sync.destroy();
            }
        } catch (IOException e) {
            // No sync command (not a Unix): the pause alone still lets the kernel write back.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Thread.sleep(Long.getLong(PAUSE_PROPERTY, 2000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes a trial directory and everything in it; a directory that is already gone is fine.
     *
     * @param directory the directory, or null
     */
    public static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the trial directory " + directory, e);
        }
    }

    /**
     * Writes a small properties file into the sidecar results directory, if the report asked for one.
     *
     * @param name the file name
     * @param properties the figures
     */
    public static void writeSidecar(String name, java.util.Properties properties) {
        java.io.StringWriter text = new java.io.StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot format the sidecar result " + name, e);
        }
        writeSidecar(name, text.toString());
    }

    /**
     * Writes a text file into the sidecar results directory, if the report asked for one.
     *
     * @param name the file name
     * @param text its content
     */
    public static void writeSidecar(String name, String text) {
        String results = System.getProperty(RESULTS_PROPERTY);
        if (results == null || results.isBlank()) {
            return;
        }
        Path file = Paths.get(results, name);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sidecar result " + file, e);
        }
    }
}
