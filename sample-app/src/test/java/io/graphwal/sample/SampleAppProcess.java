package io.graphwal.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repackaged sample jar running as a child JVM, started the way the README starts it ({@code java -jar}),
 * in a working directory of the test's choosing, on a port the operating system picks (read back from the
 * log, so there is no race for a free port). Its output goes to a log file in that directory.
 */
final class SampleAppProcess implements AutoCloseable {

    private static final Duration STARTUP_BOUND = Duration.ofMinutes(3);
    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern STARTED = Pattern.compile("Started SampleApplication in ");

    private final Process process;
    private final Thread reaper;
    private final Path log;
    private final int port;

    private SampleAppProcess(Process process, Thread reaper, Path log, int port) {
        this.process = process;
        this.reaper = reaper;
        this.log = log;
        this.port = port;
    }

    /** The jar {@code mvn package} made; failsafe passes its path. */
    static Path jar() {
        String jar = System.getProperty("sample.jar");
        if (jar == null) {
            throw new IllegalStateException("System property sample.jar is not set; run this test through "
                    + "'mvn verify', whose failsafe configuration passes the repackaged jar's path");
        }
        return Path.of(jar);
    }

    /**
     * Starts {@code java -jar} on the sample jar and waits until the app has started.
     *
     * @param workDir the working directory, where the app's relative paths ({@code ./data/...}) land
     * @param args command-line properties added after {@code --server.port=0}
     * @return the running app
     */
    static SampleAppProcess start(Path workDir, String... args) {
        return start(workDir, List.of(), args);
    }

    /**
     * Starts {@code java -jar} on the sample jar with JVM options and waits until the app has started.
     *
     * @param workDir the working directory, where the app's relative paths ({@code ./data/...}) land
     * @param jvmOptions options placed before {@code -jar}, e.g. {@code -Xmx256m}
     * @param args command-line properties added after {@code --server.port=0}
     * @return the running app
     */
    static SampleAppProcess start(Path workDir, List<String> jvmOptions, String... args) {
        return start(workDir, Map.of(), jvmOptions, args);
    }

    /**
     * Starts {@code java -jar} on the sample jar with environment variables and JVM options, and waits until the
     * app has started. The child inherits the test JVM's environment less every {@code AWS_*} variable, so that
     * the credentials or region of whoever runs the build never reach an app under test; a test that archives
     * to S3 passes its own.
     *
     * @param workDir the working directory, where the app's relative paths ({@code ./data/...}) land
     * @param environment variables set for the child
     * @param jvmOptions options placed before {@code -jar}, e.g. {@code -Xmx256m}
     * @param args command-line properties added after {@code --server.port=0}
     * @return the running app
     */
    static SampleAppProcess start(Path workDir, Map<String, String> environment, List<String> jvmOptions,
            String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Tomcat's work directories go to the temporary directory and stay there, whether the app is killed or
        // stopped: keep them in the working directory, which the test deletes.
        Path tmp = workDir.resolve("tmp");
        // C1 only: the child lives for seconds, so a faster start matters more than peak speed.
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "--server.port=0"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(tmp);
            Path log = Files.createTempFile(workDir, "sample-app-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            // Should the test JVM itself be stopped (a build timeout, Ctrl-C), the child must not outlive it.
            Thread reaper = new Thread(process::destroyForcibly, "sample-app-reaper-" + process.pid());
            Runtime.getRuntime().addShutdownHook(reaper);
            return new SampleAppProcess(process, reaper, log, awaitPort(process, log));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private static int awaitPort(Process process, Path log) {
        long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String output = Files.readString(log, StandardCharsets.UTF_8);
                Matcher port = PORT.matcher(output);
                if (port.find() && STARTED.matcher(output).find()) {
                    return Integer.parseInt(port.group(1));
                }
                if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("The sample app exited with " + process.exitValue()
                            + " before it started; its output:\n" + output);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("The sample app did not start within " + STARTUP_BOUND
                    + "; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the sample app started", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Http http() {
        return new Http(port);
    }

    /**
     * Stops the process the way {@code kill} (SIGTERM) does, which runs Spring's shutdown and closes the graph,
     * and waits until it is gone.
     */
    void stop() {
        process.destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it kills the child anyway
        }
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("The sample app (pid " + process.pid() + ") did not stop within 2 "
                        + "minutes of SIGTERM; its output:\n" + output());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the sample app", e);
        }
    }

    /** Kills the process the way {@code kill -9} does and waits until it is gone. */
    void killHard() {
        process.destroyForcibly();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same
        }
        try {
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("The sample app (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing the sample app", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Kills the process if it still runs: safe to call from an after-each whatever the test did. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killHard();
        }
    }
}
