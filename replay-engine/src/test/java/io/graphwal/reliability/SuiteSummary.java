package io.graphwal.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a reliability suite's one-line summary to {@code target/reliability/<suite>.txt}, so the figures of
 * a run (cycles, cases, violations) can be read without parsing test logs. The directory comes from the
 * system property {@code graphwal.reliability.dir}, which the build sets to the module's build directory;
 * run from an IDE it falls back to {@code target/reliability} under the working directory.
 *
 * <p>A summary is written in addition to the suite's assertions, never instead of them: a suite with
 * violations writes its figures and then fails.
 */
public final class SuiteSummary {

    private SuiteSummary() {
    }

    /**
     * Returns whether the long mode ({@code -Dgraphwal.test.long=true}) is on.
     *
     * @return true for the long mode
     */
    public static boolean longMode() {
        return Boolean.getBoolean("graphwal.test.long");
    }

    /**
     * Returns the seed for a randomised suite: {@code -Dgraphwal.test.seed} if given, else a fresh one. The
     * caller logs it, so a failing run can be repeated.
     *
     * @return the seed
     */
    public static long seed() {
        return Long.getLong("graphwal.test.seed", System.nanoTime());
    }

    /**
     * Writes (replacing) the summary line of a suite, prefixed with the suite's name.
     *
     * @param suite the suite's name, which is also the file's base name, e.g. {@code crash-loop}
     * @param figures the figures, e.g. {@code cycles=100 acknowledged=2040 lost=0}
     * @return the line written
     */
    public static String write(String suite, String figures) {
        String line = suite + " " + figures;
        Path dir = Path.of(System.getProperty("graphwal.reliability.dir", "target/reliability"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(suite + ".txt"), line + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the summary of " + suite + " to " + dir, e);
        }
        System.out.println(line);
        return line;
    }
}
