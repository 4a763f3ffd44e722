package io.graphwal.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How long and how big one report run is. {@link #FULL} follows the fairness rules of SPEC section 7 (2 forks,
 * 5 measured iterations, full-size graphs everywhere); {@link #QUICK} trades confidence for time (one fork,
 * two short iterations, the append comparisons at the one record size the targets name, and a scaled graph for
 * the TinkerGraph, memory and Neo4j/ArcadeDB comparisons) and says so in its output.
 *
 * @param name the name on the command line
 * @param forks forks per benchmark
 * @param warmupIterations warmup iterations of time-based benchmarks
 * @param iterations measured iterations of time-based benchmarks
 * @param iterationSeconds seconds per iteration of time-based benchmarks
 * @param singleShotWarmups warmup invocations of single-shot (load) benchmarks
 * @param singleShots measured invocations of single-shot benchmarks
 * @param pauseMillis pause after {@code sync} before each fsync-bound trial
 * @param replayMutations mutations in the replay benchmark's log
 * @param graphNodes nodes of "that graph" (snapshot load, checkpoint stall)
 * @param graphRelationships relationships of "that graph"
 * @param peerNodes nodes of the graph compared with TinkerGraph (load time and memory)
 * @param peerRelationships relationships of the graph compared with TinkerGraph
 * @param stallIterationSeconds seconds per iteration of the checkpoint stall benchmark
 * @param largeTransactionWarmups warmup shots of each large-transaction configuration
 * @param largeTransactionShots measured shots of each large-transaction configuration
 * @param reopenSamples restarts timed per system in the crash and reopen comparison (one JVM each)
 * @param recordSizes record sizes, in bytes, of the append comparisons (every size multiplies their trials)
 */
public record Profile(String name, int forks, int warmupIterations, int iterations, int iterationSeconds,
        int singleShotWarmups, int singleShots, long pauseMillis, int replayMutations, int graphNodes,
        int graphRelationships, int peerNodes, int peerRelationships, int stallIterationSeconds,
        int largeTransactionWarmups, int largeTransactionShots, int reopenSamples, List<Integer> recordSizes) {

    /** About 15 minutes on a 2-core machine (estimated from the 19.5 of a run with three record sizes); not enough
     * forks or iterations for published figures. */
    public static final Profile QUICK = new Profile("quick", 1, 1, 2, 1, 1, 2, 1000, 2_000_000, 1_000_000,
            5_000_000, 100_000, 500_000, 5, 5, 10, 2, List.of(Targets.RECORD_BYTES));

    /** The SPEC section 7 rules: at least 2 forks and 5 iterations, every graph at full size. */
    public static final Profile FULL = new Profile("full", 2, 3, 5, 2, 2, 5, 3000, 10_000_000, 1_000_000,
            5_000_000, 1_000_000, 5_000_000, 10, 5, 10, 5, List.of(64, Targets.RECORD_BYTES, 4096));

    /** Copies the size list, so that a profile cannot change under a running report. */
    public Profile {
        recordSizes = List.copyOf(recordSizes);
    }

    /**
     * The profile named on the command line.
     *
     * @param name {@code quick} or {@code full}
     * @return the profile
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Profile named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> QUICK;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("Unknown profile '" + name + "': use quick (about 15 "
                    + "minutes, indicative) or full (SPEC section 7 rules: 2 forks, 5 iterations)");
        };
    }

    /** @return whether the TinkerGraph comparison uses a smaller graph than the targets name */
    public boolean peerGraphScaled() {
        return peerNodes != graphNodes || peerRelationships != graphRelationships;
    }

    /** @return a one-line description for the report's header */
    public String describe() {
        return String.format(Locale.ROOT, "profile %s: %d fork(s), %d warmup + %d measured iteration(s) of %d s; "
                + "loads %d warmup + %d measured; graph %,d nodes / %,d relationships; TinkerGraph, memory and peer "
                + "comparisons on %,d / %,d%s; large transactions %d warmup + %d measured shots; %d restart(s) per "
                + "system after a crash; appends of %s-byte records", name, forks, warmupIterations, iterations,
                iterationSeconds,
                singleShotWarmups, singleShots, graphNodes, graphRelationships, peerNodes, peerRelationships,
                peerGraphScaled() ? " (scaled down)" : "", largeTransactionWarmups, largeTransactionShots,
                reopenSamples, recordSizes.stream().map(String::valueOf).collect(Collectors.joining("/")));
    }
}
