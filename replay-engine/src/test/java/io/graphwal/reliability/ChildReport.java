package io.graphwal.reliability;

import java.io.PrintStream;

/**
 * How the reliability suites' child JVMs tell their parent what they did: one line per event on standard
 * output, each printed and flushed whole under one lock, so that a kill can cut the output only between lines;
 * and a failure printed as {@code FAIL <exception>} before the process halts with exit code 3.
 */
final class ChildReport {

    private static final Object LOCK = new Object();
    private static final PrintStream OUT = System.out;

    private ChildReport() {
    }

    static void say(String line) {
        synchronized (LOCK) {
            OUT.print(line + "\n");
            OUT.flush();
        }
    }

    static void fail(Throwable e) {
        synchronized (LOCK) {
            OUT.println("FAIL " + e);
            OUT.flush();
            e.printStackTrace();
        }
        Runtime.getRuntime().halt(3);
    }
}
