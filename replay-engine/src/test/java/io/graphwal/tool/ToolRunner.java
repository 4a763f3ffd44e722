package io.graphwal.tool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.graphwal.io.FileIO;

/** Runs the {@code wal} tool in this JVM for the suites of other packages, keeping what it printed. */
public final class ToolRunner {

    /** What one run printed and returned. */
    public record Result(int exit, String out, String err) {
    }

    private ToolRunner() {
    }

    /**
     * Runs the tool with these arguments.
     *
     * @param args the command line, e.g. {@code verify DIR}
     * @return the exit code and output
     */
    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WalTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), FileIO.standard());
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
