package io.graphwal.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A small ext4 file system on a loop device, mounted in a directory of its own, so that a test can meet the
 * kernel's own failures (a full disk, a file system that turns itself read-only) instead of simulated ones.
 *
 * <p>Mounting needs root, Linux, {@code losetup}, {@code mkfs.ext4} and a kernel (or container) that hands out
 * loop devices. Where any of that is missing, {@link #mount} aborts the calling test through JUnit's
 * {@link Assumptions} with the reason, which it also prints, so a machine that cannot run these tests reports
 * them as skipped and says why, never as passed.
 *
 * <p>Everything it sets up, {@link #close()} takes down even after a failed test: the mount (lazily if a plain
 * unmount is refused), the loop device, the image and the directories. Every command runs with a bounded wait
 * and its output goes into the failure message.
 *
 * <p>The file system is mounted with {@code errors=remount-ro}, the policy under which ext4 turns itself
 * read-only on the first error it detects; {@link #triggerError()} raises such an error, which is how a
 * mounted file system really goes read-only under a running process (an operator's
 * {@code mount -o remount,ro} is refused while any file on it is open for writing, as a log's segment is).
 */
final class LoopFileSystem implements AutoCloseable {

    private static final long COMMAND_SECONDS = 60;
    private static final String MOUNT_OPTIONS = "errors=remount-ro";

    private final Path work;
    private final Path image;
    private final Path mountPoint;
    private final String device;
    private boolean mounted;

    private LoopFileSystem(Path work, Path image, Path mountPoint, String device) {
        this.work = work;
        this.image = image;
        this.mountPoint = mountPoint;
        this.device = device;
    }

    /** What a command printed and how it ended. */
    record Result(int exitCode, String output, String command) {
        boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "'" + command + "' exited with " + exitCode + (output.isBlank() ? "" : ": " + output.strip());
        }
    }

    /**
     * Makes an ext4 file system of {@code bytes} in a file under {@code parent}, attaches it to a free loop
     * device and mounts it, or aborts the calling test (as skipped, with the reason) where that is impossible.
     *
     * @param parent a directory for the image and the mount point; a new directory is made in it
     * @param bytes the size of the file system
     * @return the mounted file system, which the caller closes
     */
    static LoopFileSystem mount(Path parent, long bytes) throws IOException {
        skipUnless(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"),
                "not Linux (" + System.getProperty("os.name") + ")");
        skipUnless(isRoot(), "not running as root, which losetup and mount need");
        for (String tool : new String[] {"losetup", "mount", "umount", "mkfs.ext4", "e2fsck"}) {
            skipUnless(locate(tool) != null, tool + " is not installed");
        }
        Path work = Files.createTempDirectory(parent, "loop-ext4-");
        Path image = work.resolve("ext4.img");
        Path mountPoint = Files.createDirectory(work.resolve("mnt"));
        String device = null;
        boolean done = false;
        try {
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(bytes);
            }
            // No blocks reserved for root (-m 0): the tests run as root, and a reserve only root may use would
            // make "full" depend on who asks.
            Result mkfs = run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
            skipUnless(mkfs.ok(), "cannot make an ext4 file system: " + mkfs);
            Result attach = run("losetup", "-f", "--show", image.toString());
            skipUnless(attach.ok() && attach.output().strip().startsWith("/dev/"),
                    "cannot attach a loop device (none free, or the container refuses): " + attach);
            device = attach.output().strip();
            LoopFileSystem fs = new LoopFileSystem(work, image, mountPoint, device);
            Result mount = fs.mountNow();
            if (!mount.ok()) {
                fs.close();
                done = true;
                skip("cannot mount a loop device here: " + mount);
            }
            done = true;
            return fs;
        } finally {
            if (!done) {
                // A skip or failure before the file system existed as an object: undo what was done so far.
                if (device != null) {
                    run("losetup", "-d", device);
                }
                deleteRecursively(work);
            }
        }
    }

    /** The mounted file system's root directory. */
    Path path() {
        return mountPoint;
    }

    /** The loop device, e.g. {@code /dev/loop0}. */
    String device() {
        return device;
    }

    /**
     * Asks for an operator's read-only remount: {@code mount -o remount,ro}.
     *
     * @return how the command ended (the kernel refuses while a file is open for writing)
     */
    Result remountReadOnly() {
        return run("mount", "-o", "remount,ro", mountPoint.toString());
    }

    /**
     * Whether this kernel lets a test raise an ext4 error, which {@link #triggerError()} needs.
     *
     * @return whether {@code /sys/fs/ext4/<device>/trigger_fs_error} exists
     */
    boolean canTriggerErrors() {
        return Files.isWritable(errorTrigger());
    }

    /**
     * Raises an ext4 error through {@code /sys/fs/ext4/<device>/trigger_fs_error}, as the file system does
     * when it finds its metadata damaged: under {@code errors=remount-ro} the kernel aborts the journal and
     * turns the mounted file system read-only, so every later write, fsync and creation fails with "Read-only
     * file system". Returns once the mount is read-only (a bounded wait).
     */
    void triggerError() throws IOException {
        Files.writeString(errorTrigger(), "graphwal kernel fault test\n", StandardCharsets.US_ASCII);
        awaitCondition("the kernel to turn " + mountPoint + " read-only", this::isReadOnly);
    }

    /**
     * Whether the kernel now has the file system read-only: {@code ro}, or from Linux 6.x on
     * {@code emergency_ro} after an error, among its options in {@code /proc/self/mounts}.
     *
     * @return whether it is read-only
     */
    boolean isReadOnly() {
        for (String option : mountOptions()) {
            if (option.equals("ro") || option.equals("emergency_ro")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unmounts, checks and repairs the file system with {@code e2fsck -fy} (which an error left flagged as
     * needing a check) and mounts it read-write again, as an operator would after such a fault.
     *
     * @return e2fsck's result: exit 0 (clean) or 1 (errors corrected) are accepted, anything else fails
     */
    Result checkAndRemount() {
        unmountOrFail();
        Result fsck = run("e2fsck", "-f", "-y", device);
        if (fsck.exitCode() > 1) {
            throw new AssertionError("e2fsck could not repair the file system: " + fsck);
        }
        Result mount = mountNow();
        if (!mount.ok()) {
            throw new AssertionError("remounting after the check failed: " + mount);
        }
        return fsck;
    }

    /**
     * Unmounts and mounts again, as a machine coming back from a power loss would: the kernel replays the
     * journal on mount. Only if it refuses is {@code e2fsck -f -y} run first, as an operator would.
     *
     * @return how it came back: {@code "mount"}, or the e2fsck result followed by the mount
     */
    String remountAfterPowerLoss() {
        unmountOrFail();
        Result mount = mountNow();
        if (mount.ok()) {
            return "mount";
        }
        Result fsck = run("e2fsck", "-f", "-y", device);
        if (fsck.exitCode() > 1) {
            throw new AssertionError("after " + mount + ", e2fsck could not repair the file system: " + fsck);
        }
        Result again = mountNow();
        if (!again.ok()) {
            throw new AssertionError("mounting after " + mount + " and e2fsck (exit " + fsck.exitCode()
                    + ") failed: " + again);
        }
        return "e2fsck exit " + fsck.exitCode() + ", then mount";
    }

    /**
     * Takes everything down: unmounts (lazily if refused), detaches the loop device and deletes the image and
     * the directories. Every step is tried even if an earlier one failed; the failures are thrown together.
     */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        if (mounted) {
            Result umount = run("umount", mountPoint.toString());
            if (!umount.ok()) {
                // Something still holds the file system (a test that failed with a file open): detach it now
                // and let the kernel finish when that goes, so the loop device can still be released.
                Result lazy = run("umount", "-l", mountPoint.toString());
                problems.add("plain unmount refused (" + umount + ")"
                        + (lazy.ok() ? ", unmounted lazily" : "; lazy unmount failed too: " + lazy));
            }
            mounted = false;
        }
        Result detach = run("losetup", "-d", device);
        if (!detach.ok()) {
            problems.add("detaching the loop device failed: " + detach);
        }
        try {
            deleteRecursively(work);
        } catch (IOException | UncheckedIOException e) {
            problems.add("deleting " + work + " failed: " + e);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Cleaning up the loop file system " + device + " at " + mountPoint
                    + " was not clean: " + String.join("; ", problems));
        }
    }

    private Result mountNow() {
        Result mount = run("mount", "-t", "ext4", "-o", MOUNT_OPTIONS, device, mountPoint.toString());
        mounted = mount.ok();
        return mount;
    }

    private void unmountOrFail() {
        Result umount = run("umount", mountPoint.toString());
        if (!umount.ok()) {
            throw new AssertionError("unmounting " + mountPoint + " failed (is a file still open?): " + umount);
        }
        mounted = false;
    }

    private Path errorTrigger() {
        return Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString(), "trigger_fs_error");
    }

    private List<String> mountOptions() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 3 && fields[1].equals(mountPoint.toString())) {
                    return Arrays.asList(fields[3].split(","));
                }
            }
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command with a bounded wait and returns its exit code and output (stdout and stderr together);
     * a command that cannot start at all, or outlives the bound, gives exit code -1.
     */
    static Result run(String... command) {
        String text = String.join(" ", command);
        String[] resolved = command.clone();
        String executable = locate(command[0]);
        if (executable != null) {
            resolved[0] = executable;
        }
        ProcessBuilder builder = new ProcessBuilder(resolved).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C"); // messages in English, as failure messages quote them
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, e.toString(), text);
        }
        try {
            process.getOutputStream().close();
            // The commands print a line or two, which the pipe holds, so waiting before reading cannot block.
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
                return new Result(-1, "did not finish within " + COMMAND_SECONDS + " s; killed", text);
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output, text);
        } catch (IOException e) {
            return new Result(-1, e.toString(), text);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", text);
        }
    }

    /** Waits for a condition with a generous bound; the bound, not the polling pause, decides failure. */
    static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + COMMAND_SECONDS + " s waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the process's effective user.
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Finds a tool on the path or in the system directories, which a non-login shell's path may lack. */
    private static String locate(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/sbin:/usr/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            skip(reason);
        }
    }

    private static void skip(String reason) {
        // Printed as well as reported: a skipped reliability test should be visible in a plain build log.
        System.out.println("kernel-faults: skipped: " + reason);
        Assumptions.abort("Real kernel faults need a loop-mounted ext4: " + reason);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
