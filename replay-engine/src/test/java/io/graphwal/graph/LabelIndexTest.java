package io.graphwal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The label index keeps, per label, exactly the nodes added and not removed, and hands them out ascending. */
class LabelIndexTest {

    @Test
    void membersComeOutAscendingAcrossChunkAndWordBoundaries() {
        LabelIndex index = new LabelIndex();
        long[] ids = {Columns.CHUNK * 5L + 1, 0, 63, 64, Columns.CHUNK - 1, Columns.CHUNK, (1L << 31) + 5};
        for (long id : ids) {
            index.add(2, id);
        }

        assertThat(index.members(2)).containsExactly(0, 63, 64, Columns.CHUNK - 1, Columns.CHUNK,
                Columns.CHUNK * 5L + 1, (1L << 31) + 5);
        assertThat(index.count(2)).isEqualTo(ids.length);
        assertThat(index.members(0)).isEmpty();
        assertThat(index.members(7)).isEmpty();
        assertThat(index.count(-1)).isZero();
    }

    @Test
    void addingTwiceCountsOnceAndRemovingWhatIsNotThereChangesNothing() {
        LabelIndex index = new LabelIndex();
        index.add(0, 10);
        index.add(0, 10);
        index.remove(0, 11);
        index.remove(0, 1_000_000);
        index.remove(5, 10);

        assertThat(index.count(0)).isOne();
        assertThat(index.members(0)).containsExactly(10);
        index.remove(0, 10);
        assertThat(index.count(0)).isZero();
        assertThat(index.members(0)).isEmpty();
    }

    @Test
    void seededRandomAddsAndRemovesMatchASortedSet() {
        long seed = LoggedGraph.seed("LabelIndexTest.random");
        Random random = new Random(seed);
        LabelIndex index = new LabelIndex();
        List<TreeSet<Long>> expected = List.of(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        for (int i = 0; i < LoggedGraph.scaled(20_000); i++) {
            int label = random.nextInt(expected.size());
            long node = random.nextInt(3 * Columns.CHUNK);
            if (random.nextInt(3) == 0) {
                index.remove(label, node);
                expected.get(label).remove(node);
            } else {
                index.add(label, node);
                expected.get(label).add(node);
            }
        }
        for (int label = 0; label < expected.size(); label++) {
            assertThat(index.members(label)).as("seed %d, label %d", seed, label)
                    .containsExactly(expected.get(label).stream().mapToLong(Long::longValue).toArray());
            assertThat(index.count(label)).isEqualTo(expected.get(label).size());
        }
    }
}
