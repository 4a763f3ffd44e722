package io.graphwal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.graphwal.benchmarks.LargeTransactionBenchmark.Shape;
import io.graphwal.benchmarks.LargeTransactionBenchmark.Workload;
import io.graphwal.graph.GraphLimits;

class LargeTransactionTargetsTest {

    /** A single-shot result of {@code micros} µs per mutation for the report's workload of that shape and size. */
    private static void shot(Measurements measured, String phase, Shape shape, double fraction, double micros) {
        Workload workload = Targets.largeTransactionWorkload(shape, fraction);
        double millis = micros * workload.mutations() / 1000;
        measured.add(new Figures(Targets.largeTransaction(phase, workload), 1, Double.NaN, millis, millis, millis,
                millis, "ms/op", 10, true));
    }

    private static Measurements linear() {
        Measurements measured = new Measurements();
        for (String phase : Targets.LARGE_TRANSACTION_PHASES) {
            for (Shape shape : Shape.values()) {
                for (double fraction : Targets.LARGE_TRANSACTION_FRACTIONS) {
                    shot(measured, phase, shape, fraction, 0.5);
                }
            }
        }
        return measured;
    }

    @Test
    void theLargestSizeOfEveryShapeIsItsLimit() {
        assertThat(Workload.of(Shape.LABELS, 1, 100_000).size()).isEqualTo(GraphLimits.MAX_LABELS_PER_NODE);
        assertThat(Workload.of(Shape.PROPERTIES, 1, 100_000).size()).isEqualTo(GraphLimits.MAX_PROPERTIES_PER_ENTITY);
        assertThat(Workload.of(Shape.RELATIONSHIPS, 1, 100_000).size())
                .isEqualTo(GraphLimits.MAX_MUTATIONS_PER_TRANSACTION);
        assertThat(Workload.of(Shape.NODES, 1, 100_000).size()).isEqualTo(GraphLimits.MAX_MUTATIONS_PER_TRANSACTION);
        for (Shape shape : Shape.values()) {
            assertThat(shape.mutationsPerTransaction(shape.limit()))
                    .as("a transaction at %s's limit still fits the mutations limit", shape)
                    .isLessThanOrEqualTo(GraphLimits.MAX_MUTATIONS_PER_TRANSACTION);
        }
    }

    @Test
    void everyShotHoldsAtLeastItsMutationsInWholeTransactions() {
        Workload labels = Workload.of(Shape.LABELS, 0.01, 100_000);
        assertThat(labels.size()).isEqualTo(10);
        assertThat(labels.transactions()).as("11 mutations each, the new node included").isEqualTo(9091);
        assertThat(labels.mutations()).isEqualTo(100_001);
        Workload nodes = Workload.of(Shape.NODES, 1, 100_000);
        assertThat(nodes.transactions()).isEqualTo(1);
        assertThat(nodes.mutations()).isEqualTo(100_000);
        assertThat(Workload.of(Shape.PROPERTIES, 1e-9, 10).size()).as("never empty").isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> Workload.of(Shape.NODES, 2, 100_000))
                .withMessageContaining("(0, 1]");
        assertThat(Shape.named("relationships")).isEqualTo(Shape.RELATIONSHIPS);
    }

    @Test
    void aFlatCostPerMutationPasses() {
        Measurements measured = linear();
        assertThat(Targets.microsPerMutation(measured, "replay",
                Targets.largeTransactionWorkload(Shape.PROPERTIES, 0.1))).hasValueSatisfying(
                        micros -> assertThat(micros).isCloseTo(0.5, within(1e-9)));

        List<Target> targets = Targets.largeTransactions(measured);

        assertThat(targets).extracting(Target::name)
                .containsExactly("large-transaction-commit-linearity", "large-transaction-replay-linearity");
        assertThat(targets).allMatch(Target::passed);
        assertThat(targets.get(0).line()).startsWith("large-transaction-commit-linearity measured=1.00x "
                + "goal=<=3.00x PASS").contains("labels 1.00x");
    }

    @Test
    void theWorstShapeDecidesAndACheaperLimitIsNoFault() {
        Measurements measured = linear();
        shot(measured, "commit", Shape.NODES, 0.01, 2.0);     // fixed cost per small transaction: ratio 0.25
        shot(measured, "commit", Shape.LABELS, 1, 1.75);      // 3.5x at the limit

        Target commit = Targets.largeTransactions(measured).get(0);

        assertThat(commit.measured()).isCloseTo(3.5, within(1e-9));
        assertThat(commit.passed()).isFalse();
        assertThat(commit.line()).contains("labels 3.50x").contains("nodes 0.25x");
        assertThat(Targets.largeTransactions(measured).get(1).passed()).as("replay untouched").isTrue();
    }

    @Test
    void aMissingConfigurationIsAMissWithTheReason() {
        Measurements measured = new Measurements();
        measured.failed("large-transaction", "large-transactions failed: java.lang.OutOfMemoryError");

        List<Target> targets = Targets.largeTransactions(measured);

        assertThat(targets).noneMatch(Target::passed);
        assertThat(targets.get(1).line()).isEqualTo("large-transaction-replay-linearity measured=n/a goal=<=3.00x "
                + "MISS  (not measured: large-transactions failed: java.lang.OutOfMemoryError)");
    }
}
