package io.graphwal.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one report run measured, by key: benchmark figures, scalar facts handed back by forks (fsync
 * batch sizes, heap footprints, checkpoints completed) and the reasons for anything that failed. Filled by
 * one thread, the report's.
 */
public final class Measurements {

    private final Map<String, Figures> figures = new LinkedHashMap<>();
    private final Map<String, Double> facts = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    /**
     * Records a benchmark configuration's figures.
     *
     * @param value the figures
     */
    public void add(Figures value) {
        figures.merge(value.key(), value, Figures::merge);
    }

    /**
     * Records a scalar fact.
     *
     * @param key its name
     * @param value its value
     */
    public void fact(String key, double value) {
        facts.put(key, value);
    }

    /**
     * Records that a group of benchmarks failed.
     *
     * @param group what failed
     * @param reason why
     */
    public void failed(String group, String reason) {
        failures.put(group, reason);
    }

    /**
     * @param key a configuration
     * @return its figures, if measured
     */
    public Optional<Figures> figures(String key) {
        return Optional.ofNullable(figures.get(key));
    }

    /**
     * @param key a fact's name
     * @return its value, if known
     */
    public Optional<Double> fact(String key) {
        return Optional.ofNullable(facts.get(key));
    }

    /** @return every configuration's figures, in the order measured */
    public Map<String, Figures> allFigures() {
        return figures;
    }

    /** @return every fact, in the order recorded */
    public Map<String, Double> allFacts() {
        return facts;
    }

    /** @return every failure, by group */
    public Map<String, String> failures() {
        return failures;
    }
}
