package io.graphwal.benchmarks;

import java.util.Locale;

/**
 * What one benchmark configuration measured, reduced to what the report needs: the mean time per operation,
 * latency percentiles (from sampled operations; for single-shot benchmarks, over invocations) and the thread
 * count.
 *
 * <p>Every time-based benchmark here runs in JMH's sample-time mode, which times operations back to back on
 * each thread; the throughput is therefore threads divided by the mean time per operation, and one run gives
 * both throughput and latency.
 *
 * @param key the configuration, for example {@code graphwal/PER_COMMIT/16t/256B}
 * @param threads benchmark threads
 * @param mean mean time per operation, in {@code unit}
 * @param p50 median
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param unit JMH's score unit, for example {@code us/op}
 * @param samples how many operations (or invocations) were timed
 * @param singleShot whether each sample is one invocation of a single-shot benchmark (a load), whose rate
 *     per second means little
 */
public record Figures(String key, int threads, double mean, double p50, double p99, double p999, String unit,
        long samples, boolean singleShot) {

    /** @return operations per second over all threads */
    public double opsPerSecond() {
        return threads / (mean * secondsPerUnit());
    }

    /** @return the mean time per operation in seconds */
    public double meanSeconds() {
        return mean * secondsPerUnit();
    }

    /**
     * Converts a figure in this record's unit to milliseconds.
     *
     * @param value a time in {@link #unit}
     * @return milliseconds
     */
    public double millis(double value) {
        return value * secondsPerUnit() * 1000;
    }

    private double secondsPerUnit() {
        String time = unit.toLowerCase(Locale.ROOT);
        int slash = time.indexOf('/');
        if (slash >= 0) {
            time = time.substring(0, slash);
        }
        return switch (time) {
            case "ns" -> 1e-9;
            case "us", "µs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("Unknown time unit '" + unit + "' in " + key);
        };
    }
}
