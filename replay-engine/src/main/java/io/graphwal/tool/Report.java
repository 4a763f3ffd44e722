package io.graphwal.tool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The output of a command that is printed only once it has finished, so that an attempt abandoned because a
 * live application removed a file can be run again without printing anything twice. Results go to standard
 * output, warnings and errors to standard error.
 */
final class Report {

    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private int warnings;

    void line(String text) {
        out.add(text);
    }

    void warning(String text) {
        err.add("WARNING: " + text);
        warnings++;
    }

    void error(String text) {
        err.add("ERROR: " + text);
    }

    int warnings() {
        return warnings;
    }

    void printTo(PrintStream stdout, PrintStream stderr) {
        out.forEach(stdout::println);
        err.forEach(stderr::println);
        stdout.flush();
        stderr.flush();
    }
}
