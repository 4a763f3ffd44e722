package io.graphwal.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * A single-node Kafka broker in a JVM of its own for the {@code kafka} section: wal-kafka's
 * {@code LocalKafkaBroker} on that module's test classpath (the build writes it to
 * {@code wal-kafka/target/broker-classpath.txt}), so the broker's heap and threads are not the benchmark's and
 * none of Kafka's server jars are in the benchmarks jar. It listens on loopback on a port the system picks and
 * keeps its log on the other device ({@link TrialFiles#otherDevice()}), as a remote broker's would not share
 * the leader's disk; it does share the machine's cores, which the report shows. {@link #close()} stops it
 * normally, which removes its files, and waits for the process to end.
 */
final class KafkaBroker implements AutoCloseable {

    /** System property: the broker's address, handed to the forks. */
    static final String BOOTSTRAP_PROPERTY = "graphwal.bench.kafka";

    /** System property: wal-kafka's build directory, relative to the working directory by default. */
    static final String MODULE_TARGET_PROPERTY = "graphwal.bench.kafkaTarget";

    private static final String SERVING = "Kafka broker serving at ";
    private static final long START_SECONDS = 120;

    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts the broker and waits until it serves.
     *
     * @param log where the broker's output goes
     * @return the running broker
     * @throws IllegalStateException if wal-kafka's test classpath is missing or the broker does not start
     */
    static KafkaBroker start(Path log) {
        Path target = Paths.get(System.getProperty(MODULE_TARGET_PROPERTY, "wal-kafka/target")).toAbsolutePath();
        Path classpathFile = target.resolve("broker-classpath.txt");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(target.resolve("test-classes"))) {
            throw new IllegalStateException("No Kafka broker to start: " + classpathFile + " or "
                    + target.resolve("test-classes") + " is missing. Build with benchmarks/run.sh (it packages "
                    + "wal-kafka, which writes them), or set -D" + MODULE_TARGET_PROPERTY + " to wal-kafka's "
                    + "target directory");
        }
        try {
            String classpath = target.resolve("test-classes") + java.io.File.pathSeparator
                    + Files.readString(classpathFile).strip();
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            // Its log goes to the other device, as a remote broker's would not share the leader's disk.
            Process process = new ProcessBuilder(java, "-Xmx1g", "-Djava.io.tmpdir=" + TrialFiles.otherDevice(),
                    "-cp", classpath,
                    "io.graphwal.kafka.LocalKafkaBroker", "0").redirectErrorStream(true).start();
            CompletableFuture<String> address = new CompletableFuture<>();
            Thread pump = new Thread(() -> pump(process, log, address), "bench-kafka-broker-output");
            pump.setDaemon(true); // it ends with the broker's output stream
            pump.start();
            try {
                return new KafkaBroker(process, address.get(START_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("The Kafka broker did not start within " + START_SECONDS
                        + " s; its output is in " + log, e);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker", e);
        }
    }

    /** Copies the broker's output to the log, completing the address when the broker announces it. */
    private static void pump(Process process, Path log, CompletableFuture<String> address) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.write(line);
                out.newLine();
                if (!address.isDone() && line.startsWith(SERVING)) {
                    out.flush();
                    address.complete(line.substring(SERVING.length(), line.indexOf(';')));
                }
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
        address.completeExceptionally(new IllegalStateException("the broker exited before it served"));
    }

    /** @return the CPU time the broker's process has used so far, in seconds (0 where the system does not say) */
    double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** @return what the producer and consumer settings name as bootstrap servers */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Producer settings for a fork, from {@link #BOOTSTRAP_PROPERTY}. */
    static Map<String, Object> producerSettings() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, forkBootstrap());
    }

    /** Consumer settings for a fork, from {@link #BOOTSTRAP_PROPERTY}. */
    static Map<String, Object> consumerSettings() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, forkBootstrap());
    }

    private static String forkBootstrap() {
        String servers = System.getProperty(BOOTSTRAP_PROPERTY);
        if (servers == null || servers.isBlank()) {
            throw new IllegalStateException("No Kafka broker: run this benchmark through BenchmarkReport's kafka "
                    + "section, or pass -D" + BOOTSTRAP_PROPERTY + "=host:port");
        }
        return servers;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: its shutdown hook stops the broker and deletes its files
        try {
            if (!process.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(START_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
