package io.graphwal.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How much CPU the threads of one component (picked by how their names begin) have used, as cores over a
 * stretch of time and the share of it spent in the kernel: the measured bound printed beside a side-by-side
 * ratio, written to a sidecar by the benchmark fork and read back by the report.
 *
 * @param cores the threads' CPU time over the wall-clock time
 * @param kernelShare the part of that CPU time spent in the kernel, 0 to 1
 */
record ThreadCpu(double cores, double kernelShare) {

    /**
     * Measures the threads whose names begin with one of {@code prefixes}: all their CPU time over the time since
     * {@code sinceNanos}, which should be shortly after they started (a trial's setup, once the disk settled),
     * so that what they used before it is negligible.
     *
     * @param prefixes name beginnings
     * @param sinceNanos a {@link System#nanoTime()} at the start of the measured stretch
     * @return their use so far
     */
    static ThreadCpu of(List<String> prefixes, long sinceNanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long user = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && prefixes.stream().anyMatch(thread.getThreadName()::startsWith)) {
                cpu += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
                user += Math.max(0, threads.getThreadUserTime(thread.getThreadId()));
            }
        }
        return new ThreadCpu(cpu / (double) (System.nanoTime() - sinceNanos),
                cpu == 0 ? 0 : Math.max(0, cpu - user) / (double) cpu);
    }

    /** Writes this to the sidecar {@code name} (the last fork's, when there are several). */
    void writeSidecar(String name) {
        Properties figures = new Properties();
        figures.setProperty("cores", Double.toString(cores));
        figures.setProperty("kernelShare", Double.toString(kernelShare));
        TrialFiles.writeSidecar(name, figures);
    }

    /** Reads what {@link #writeSidecar} wrote. */
    static ThreadCpu read(Properties figures) {
        return new ThreadCpu(Double.parseDouble(figures.getProperty("cores")),
                Double.parseDouble(figures.getProperty("kernelShare", "0")));
    }

    /** "0.25 cores (80% in the kernel)". */
    static String describe(double cores, double kernelShare) {
        return String.format(Locale.ROOT, "%.2f cores (%.0f%% in the kernel)", cores, kernelShare * 100);
    }
}
