package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.config;
import static io.graphwal.wal.WalFixtures.expected;
import static io.graphwal.wal.WalFixtures.payload;
import static io.graphwal.wal.WalFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.graphwal.io.FaultInjectingFileIO;
import io.graphwal.io.FaultInjectingFileIO.Kind;
import io.graphwal.io.FileIO;

/**
 * Proves that a log directory has one owner at a time: a second opener in this JVM or in another process is
 * refused at once with a message naming the directory (and the holder, across processes), the directory is
 * free again after close or after a failed open, and paths that are not plain directories are refused.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DirectoryLockTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Where child processes write their output; kept out of the log directory. */
    @TempDir
    Path scratch;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void secondOpenInTheSameJvmFailsAtOnceNamingTheDirectory() throws IOException {
        try (WriteAheadLog first = WriteAheadLog.open(config(dir).build())) {
            Throwable refused = assertTimeout(Duration.ofSeconds(5),
                    () -> catchThrowable(() -> WriteAheadLog.open(config(dir).build())));

            assertThat(refused).isInstanceOf(WalLockedException.class)
                    .hasMessageContaining(dir.toRealPath().toString())
                    .hasMessageContaining("already open in this JVM");
            assertThat(first.append(TYPE, payload("r1"))).as("the first log is unaffected").isEqualTo(1);
        }
    }

    @Test
    void anotherSpellingOfTheSameDirectoryIsRefusedToo() throws IOException {
        Path real = Files.createDirectory(dir.resolve("log"));
        Path link = dir.resolve("link-to-parent");
        boolean links = tryCreateSymbolicLink(link, dir);
        try (WriteAheadLog first = WriteAheadLog.open(config(real).build())) {
            assertThat(catchThrowable(() -> WriteAheadLog.open(config(real.resolve(".")).build())))
                    .isInstanceOf(WalLockedException.class).hasMessageContaining(real.toRealPath().toString());
            if (links) {
                assertThat(catchThrowable(() -> WriteAheadLog.open(config(link.resolve("log")).build())))
                        .isInstanceOf(WalLockedException.class).hasMessageContaining(real.toRealPath().toString());
            }
        }
    }

    @Test
    void theDirectoryCanBeOpenedAgainAfterClose() {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            wal.append(TYPE, payload("r1"));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            wal.append(TYPE, payload("r2"));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(wal, 1)).isEqualTo(expected(1, 2, "r"));
        }
    }

    @Test
    void anotherProcessIsRefusedWhileThisOneHoldsTheDirectory() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            // A refused opener inside this JVM must not disturb the lock this process holds.
            assertThat(catchThrowable(() -> WriteAheadLog.open(config(dir).build())))
                    .isInstanceOf(WalLockedException.class);

            ProbeResult result = runProbe("open");

            assertThat(result.exitCode()).as(result.output()).isEqualTo(LockProbe.LOCKED);
            assertThat(result.output()).contains(dir.toRealPath().toString())
                    .contains("locked by another process")
                    .contains("pid " + ProcessHandle.current().pid());
            assertThat(wal.append(TYPE, payload("r1"))).isEqualTo(1);
        }
    }

    @Test
    void anotherProcessCanOpenTheDirectoryOnceThisOneClosesIt() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            wal.append(TYPE, payload("r1"));
        }

        ProbeResult result = runProbe("open");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(LockProbe.OPENED);
        assertThat(result.output()).startsWith("OPENED");
    }

    @Test
    void thisProcessIsRefusedWhileAnotherHoldsTheDirectoryAndNamesTheHolder() throws Exception {
        Path output = scratch.resolve("hold.out");
        Process holder = startProbe("hold", output);
        awaitOutput(holder, output, "HOLDING");

        Throwable refused = assertTimeout(Duration.ofSeconds(5),
                () -> catchThrowable(() -> WriteAheadLog.open(config(dir).build())));

        assertThat(refused).isInstanceOf(WalLockedException.class)
                .hasMessageContaining(dir.toRealPath().toString())
                .hasMessageContaining("locked by another process")
                .hasMessageContaining("pid " + holder.pid());
        try (OutputStream stdin = holder.getOutputStream()) {
            stdin.write("release\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(holder.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the holder exits").isTrue();
        assertThat(holder.exitValue()).as(read(output)).isEqualTo(LockProbe.OPENED);
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            assertThat(wal.append(TYPE, payload("r1"))).isEqualTo(1);
        }
    }

    @Test
    void aRegularFileIsRefusedWithAClearMessage() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "keep me");

        Throwable refused = catchThrowable(() -> WriteAheadLog.open(config(file).build()));

        assertThat(refused).isExactlyInstanceOf(WalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("exists but is not a directory");
        assertThat(Files.readString(file)).isEqualTo("keep me");
        assertThat(entries(dir)).containsExactly(file);
    }

    @Test
    void aSymbolicLinkIsRefusedWithAClearMessage() throws IOException {
        Path target = Files.createDirectory(dir.resolve("real"));
        Path link = dir.resolve("link");
        assumeTrue(tryCreateSymbolicLink(link, target), "this file system cannot create symbolic links");

        Throwable refused = catchThrowable(() -> WriteAheadLog.open(config(link).build()));

        assertThat(refused).isExactlyInstanceOf(WalException.class)
                .hasMessageContaining(link.toString())
                .hasMessageContaining("is a symbolic link");
        assertThat(entries(target)).as("nothing is written through the link").isEmpty();
    }

    @Test
    void aDanglingSymbolicLinkIsRefusedAndNothingIsCreated() throws IOException {
        Path target = dir.resolve("missing");
        Path link = dir.resolve("link");
        assumeTrue(tryCreateSymbolicLink(link, target), "this file system cannot create symbolic links");

        Throwable refused = catchThrowable(() -> WriteAheadLog.open(config(link).build()));

        assertThat(refused).isExactlyInstanceOf(WalException.class).hasMessageContaining("is a symbolic link");
        assertThat(Files.exists(target)).isFalse();
    }

    @ParameterizedTest(name = "{0} #{1} fails, existing log: {2}")
    @CsvSource({
        "CREATE_DIRECTORIES, 1, false",
        "LIST, 1, false",
        "CREATE, 1, false",
        "WRITE, 1, false",
        "FORCE, 1, false",
        "SYNC_DIRECTORY, 1, false",
        "LIST, 1, true",
        "OPEN, 1, true",
        "READ, 1, true",
        "OPEN, 2, true",
        "FORCE, 1, true"})
    void aFailedOpenClosesItsFilesAndReleasesTheLock(Kind kind, int nth, boolean existing) throws IOException {
        if (existing) {
            try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
                wal.append(TYPE, payload("r1"));
                wal.append(TYPE, payload("r2"));
            }
        }
        FaultInjectingFileIO io = new FaultInjectingFileIO(FileIO.standard());
        io.failOnce(kind, nth);

        Throwable refused = catchThrowable(() -> WriteAheadLog.open(config(dir).fileIO(io).build()));

        assertThat(io.injected()).as("the fault was reached").hasSize(1);
        assertThat(refused).isInstanceOf(WalException.class).isNotInstanceOf(WalLockedException.class)
                .hasMessageContaining(dir.toString());
        assertThat(refused).hasRootCause(io.lastInjected());
        assertThat(io.openHandles()).as("files left open by the failed open").isZero();
        try (WriteAheadLog wal = WriteAheadLog.open(config(dir).build())) {
            assertThat(readAll(wal, 1)).isEqualTo(existing ? expected(1, 2, "r") : List.of());
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private record ProbeResult(int exitCode, String output) {
    }

    private ProbeResult runProbe(String mode) throws IOException, InterruptedException {
        Path output = scratch.resolve(mode + "-" + children.size() + ".out");
        Process child = startProbe(mode, output);
        if (!child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail("The probe process did not finish within " + BOUND + "; output so far: " + read(output));
        }
        return new ProbeResult(child.exitValue(), read(output));
    }

    private Process startProbe(String mode, Path output) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), mode, dir.toString());
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process child = builder.start();
        children.add(child);
        return child;
    }

    private static void awaitOutput(Process child, Path output, String line) throws IOException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!read(output).contains(line)) {
            if (!child.isAlive()) {
                fail("The probe process exited with " + child.exitValue() + " before printing " + line + ": "
                        + read(output));
            }
            if (System.nanoTime() > deadline) {
                fail("The probe process did not print " + line + " within " + BOUND + ": " + read(output));
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    private static boolean tryCreateSymbolicLink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        }
    }
}
