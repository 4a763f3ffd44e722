package io.graphwal.benchmarks;

import java.util.Locale;

/**
 * One SPEC section 7 target and how this run did against it, printed as
 * {@code target-name measured=... goal=... PASS|MISS}. A target that could not be measured (a benchmark
 * failed or was skipped) is a MISS with the reason, never a PASS.
 *
 * @param name the target's name
 * @param measured the measured figure, or NaN if not measured
 * @param comparison how the measurement must relate to the goal
 * @param goal the goal
 * @param unit the unit printed after both figures (for example {@code x} for ratios, {@code ms})
 * @param detail what the figure was computed from, or why it is missing
 */
public record Target(String name, double measured, Comparison comparison, double goal, String unit, String detail) {

    /** How a measurement must relate to its goal. */
    public enum Comparison {
        /** Greater than or equal. */
        AT_LEAST(">="),
        /** Less than or equal. */
        AT_MOST("<="),
        /** Strictly less. */
        BELOW("<"),
        /** Strictly greater: "ahead of". */
        ABOVE(">");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double measured, double goal) {
            return switch (this) {
                case AT_LEAST -> measured >= goal;
                case AT_MOST -> measured <= goal;
                case BELOW -> measured < goal;
                case ABOVE -> measured > goal;
            };
        }
    }

    /**
     * A target that could not be measured.
     *
     * @param name the target's name
     * @param comparison how the measurement would have had to relate to the goal
     * @param goal the goal
     * @param unit the unit
     * @param why why there is no measurement
     * @return the target, a MISS
     */
    public static Target missing(String name, Comparison comparison, double goal, String unit, String why) {
        return new Target(name, Double.NaN, comparison, goal, unit, "not measured: " + why);
    }

    /** @return whether the measurement meets the goal; never true without a measurement */
    public boolean passed() {
        return !Double.isNaN(measured) && !Double.isInfinite(measured) && comparison.holds(measured, goal);
    }

    /** @return the report line */
    public String line() {
        String value = Double.isNaN(measured) ? "n/a" : format(measured) + unit;
        String line = name + " measured=" + value + " goal=" + comparison.symbol + format(goal) + unit + " "
                + (passed() ? "PASS" : "MISS");
        return detail == null || detail.isEmpty() ? line : line + "  (" + detail + ")";
    }

    /**
     * Formats a figure compactly: millions with an M, large values without decimals, small ones with two.
     *
     * @param value the figure
     * @return the text
     */
    static String format(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", value / 1_000_000);
        }
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
