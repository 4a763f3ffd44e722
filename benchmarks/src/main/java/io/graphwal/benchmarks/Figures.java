package io.graphwal.benchmarks;

import java.util.Locale;

/**
 * What one benchmark configuration measured, reduced to what the report needs: the throughput, the mean time
 * per operation and latency percentiles (from sampled operations; for single-shot benchmarks, over
 * invocations) and the thread count.
 *
 * <p>The append benchmarks run in two JMH modes, and each figure comes from the mode made for it: the rate
 * from throughput mode (operations completed over the measured time, all threads together), the latencies
 * from sample-time mode. The rate is not derived from the sampled mean because JMH's sample-time mode, to
 * bound its memory, halves its histogram's counts as an iteration goes on but keeps a count of one at one:
 * a rare slow operation (a page fault, a segment rollover) keeps full weight while the common fast ones are
 * thinned, so the sampled mean (and the far tail) of an operation with occasional stalls comes out too high,
 * by more than 2x for GraphWAL's mapped appends here. Figures of the two modes for one configuration are
 * {@linkplain #merge merged}; a figure a mode did not measure is {@code NaN}.
 *
 * @param key the configuration, for example {@code graphwal/PER_COMMIT/16t/256B}
 * @param threads benchmark threads
 * @param opsPerSecond operations per second over all threads, from throughput mode
 * @param mean mean time per operation, in {@code unit}
 * @param p50 median
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param unit JMH's score unit of the time figures, for example {@code us/op}
 * @param samples how many operations (or invocations) were timed
 * @param singleShot whether each sample is one invocation of a single-shot benchmark (a load), whose rate
 *     per second means little
 */
public record Figures(String key, int threads, double opsPerSecond, double mean, double p50, double p99,
        double p999, String unit, long samples, boolean singleShot) {

    /**
     * The figures of a throughput-mode run.
     *
     * @param key the configuration
     * @param threads benchmark threads
     * @param score JMH's score, operations per time unit over all threads
     * @param unit its unit, for example {@code ops/us}
     * @return figures with only the rate
     */
    public static Figures rate(String key, int threads, double score, String unit) {
        return new Figures(key, threads, score / seconds(unit, key), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                "us/op", 0, false);
    }

    /**
     * Combines the figures of the same configuration from two modes, each figure from whichever measured it
     * (from {@code other} if both did).
     *
     * @param other figures of the same key
     * @return the combination
     */
    public Figures merge(Figures other) {
        boolean timed = !Double.isNaN(other.mean);
        return new Figures(key, threads, Double.isNaN(other.opsPerSecond) ? opsPerSecond : other.opsPerSecond,
                timed ? other.mean : mean, timed ? other.p50 : p50, timed ? other.p99 : p99,
                timed ? other.p999 : p999, timed ? other.unit : unit, timed ? other.samples : samples,
                singleShot || other.singleShot);
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
        return seconds(unit, key);
    }

    /** Seconds per time unit of a JMH unit such as {@code us/op} or {@code ops/us}. */
    private static double seconds(String unit, String key) {
        String time = unit.toLowerCase(Locale.ROOT);
        int slash = time.indexOf('/');
        if (slash >= 0) {
            time = time.startsWith("ops/") ? time.substring(slash + 1) : time.substring(0, slash);
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
