package io.graphwal.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.graphwal.benchmarks.PeerGraph.Engine;

/**
 * Crash images: for each system, a database directory holding a {@link GeneratedGraph}, left as a crash
 * leaves it. A child JVM creates the database, loads the graph in durable transactions of 10,000 nodes or
 * relationships, writes the node ids and its figures next to it, and then halts with
 * {@link Runtime#halt} without closing anything, so no shutdown hook, checkpoint or clean close runs. The
 * image is built once per run (under {@code peer-images} in the trial base directory) and copied into a
 * fresh directory for every trial that uses it: {@link PeerReopenBenchmark} times recovery from it,
 * {@link PeerReadBenchmark} reads the recovered graph.
 *
 * <p>Before halting, the child also measures the graph's footprint: used heap after GC with the database
 * open, less the same figure taken before it was opened (the generator and the id array are allocated
 * first, so neither counts), and the bytes of the database directory. The child writes
 * {@value #FIGURES} with {@code heapBytes}, {@code diskBytes} and {@code loadMillis}.
 *
 * <p>Usage of the child: see {@link #main}.
 */
public final class PeerImages {

    /** Where the images go, under the trial base directory. */
    static final String DIRECTORY = "peer-images";
    /** The figures file in an image directory. */
    static final String FIGURES = "figures.properties";
    private static final String IDS = "ids.bin";
    private static final String DATABASE = "db";
    private static final String COMPLETE = "complete";

    private PeerImages() {
    }

    /**
     * The image of a system and graph size, built first if this run has none yet. Images of different
     * systems may be built concurrently; nothing builds the same one twice at once (the report builds each
     * once, before any benchmark asks for it).
     *
     * @param system the system
     * @param nodes nodes of the graph
     * @param relationships relationships of the graph
     * @return the image directory
     */
    static Path ensure(Engine system, int nodes, int relationships) {
        Path image = TrialFiles.base().resolve(DIRECTORY).resolve(system.key() + "-" + nodes + "n-"
                + relationships + "r");
        if (Files.exists(image.resolve(COMPLETE))) {
            return image;
        }
        TrialFiles.delete(image);
        runChild(image, "load", system.name(), Integer.toString(nodes), Integer.toString(relationships),
                image.toString());
        return image;
    }

    /**
     * A copy of an image that one restart has recovered and closed cleanly, built first if this run has
     * none yet: what the read comparison opens, so that its trials do not each pay for recovery again.
     *
     * @param image a crash image from {@link #ensure}
     * @param system its system
     * @return the recovered image's directory; its node ids are the crash image's
     */
    static Path recovered(Path image, Engine system) {
        Path clean = image.resolveSibling(image.getFileName() + "-recovered");
        if (Files.exists(clean.resolve(COMPLETE))) {
            return clean;
        }
        TrialFiles.delete(clean);
        try {
            Files.createDirectories(clean);
            copyTree(image.resolve(DATABASE), clean.resolve(DATABASE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + image + " to " + clean, e);
        }
        runChild(clean, "recover", system.name(), clean.toString());
        return clean;
    }

    /** Runs this class's main in a JVM of its own and marks {@code image} complete if the child wrote its figures. */
    private static void runChild(Path image, String... args) {
        try {
            Files.createDirectories(image);
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx6g"));
            command.addAll(PeerJvm.OPTIONS);
            String logging = System.getProperty(BenchmarkReport.JAVA_LOGGING);
            if (logging != null) {
                command.add("-D" + BenchmarkReport.JAVA_LOGGING + "=" + logging);
            }
            command.addAll(List.of("-D" + TrialFiles.DATA_PROPERTY + "=" + TrialFiles.base(),
                    "-cp", System.getProperty("java.class.path"), PeerImages.class.getName()));
            command.addAll(List.of(args));
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(image.resolve("child.log").toFile()).start();
            if (!child.waitFor(2, TimeUnit.HOURS)) {
                child.destroyForcibly();
                throw new IllegalStateException("the image child " + String.join(" ", args)
                        + " took over two hours");
            }
            if (!Files.exists(image.resolve(FIGURES))) {
                throw new IllegalStateException("the image child " + String.join(" ", args) + " failed (exit "
                        + child.exitValue() + "): " + Files.readString(image.resolve("child.log"),
                                StandardCharsets.UTF_8).strip());
            }
            Files.createFile(image.resolve(COMPLETE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the image " + image, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building an image", e);
        }
    }

    /**
     * Copies an image's database into a fresh trial directory, as the crash left it.
     *
     * @param image the image
     * @param prefix the trial directory's prefix
     * @return the trial directory, to open with {@link PeerGraph#open}
     */
    static Path copy(Path image, String prefix) {
        Path target = TrialFiles.freshDirectory(prefix);
        try {
            copyTree(image.resolve(DATABASE), target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the image " + image, e);
        }
        return target;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * @param image an image
     * @return the node ids its load recorded
     */
    static long[] ids(Path image) {
        try (InputStream in = Files.newInputStream(image.resolve(IDS));
                DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            long[] ids = new long[data.readInt()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = data.readLong();
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the ids of " + image, e);
        }
    }

    /**
     * @param image an image
     * @return the figures its child measured
     */
    static Properties figures(Path image) {
        Properties figures = new Properties();
        try (var reader = Files.newBufferedReader(image.resolve(FIGURES))) {
            figures.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the figures of " + image, e);
        }
        return figures;
    }

    /**
     * The child: {@code load SYSTEM NODES RELATIONSHIPS DIRECTORY} loads, measures and halts;
     * {@code recover SYSTEM DIRECTORY} opens the database there, asks it one question and closes it cleanly.
     *
     * @param args the mode and its arguments
     * @throws IOException if the ids or figures cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("recover")) {
            Path image = Paths.get(args[2]);
            long started = System.nanoTime();
            try (PeerGraph peer = PeerGraph.open(Engine.valueOf(args[1]), image.resolve(DATABASE))) {
                peer.lookup("user0");
            }
            Properties figures = new Properties();
            figures.setProperty("recoverMillis",
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
            try (var writer = Files.newBufferedWriter(image.resolve(FIGURES))) {
                figures.store(writer, null);
            }
            return;
        }
        Engine system = Engine.valueOf(args[1]);
        int nodes = Integer.parseInt(args[2]);
        int relationships = Integer.parseInt(args[3]);
        Path image = Paths.get(args[4]);
        GeneratedGraph graph = GeneratedGraph.generate(nodes, relationships, GeneratedGraph.SEED);
        long[] ids = new long[nodes];
        long base = MemoryFootprint.usedAfterGc();
        Path database = image.resolve(DATABASE);
        Files.createDirectories(database);
        long started = System.nanoTime();
        PeerGraph peer = PeerGraph.open(system, database);
        peer.load(graph, 10_000, ids);
        long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (peer.lookup(graph.name(nodes - 1)) != 1) {
            throw new IllegalStateException(system + " did not find the last node it loaded by name");
        }
        long heap = MemoryFootprint.usedAfterGc() - base;
        long disk = bytes(database);
        try (OutputStream out = Files.newOutputStream(image.resolve(IDS));
                DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
            data.writeInt(nodes);
            for (long id : ids) {
                data.writeLong(id);
            }
        }
        Properties figures = new Properties();
        figures.setProperty("heapBytes", Long.toString(heap));
        figures.setProperty("diskBytes", Long.toString(disk));
        figures.setProperty("loadMillis", Long.toString(loadMillis));
        // Written last, and only when everything before it worked: its presence is the parent's success test.
        Path temporary = image.resolve(FIGURES + ".tmp");
        try (var writer = Files.newBufferedWriter(temporary)) {
            figures.store(writer, String.format(Locale.ROOT, "%s %d nodes %d relationships", system, nodes,
                    relationships));
        }
        Files.move(temporary, image.resolve(FIGURES), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("loaded; halting without closing");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Sum of the sizes of every file under a directory. */
    static long bytes(Path directory) throws IOException {
        AtomicLong total = new AtomicLong();
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                total.addAndGet(attributes.size());
                return FileVisitResult.CONTINUE;
            }
        });
        return total.get();
    }
}
