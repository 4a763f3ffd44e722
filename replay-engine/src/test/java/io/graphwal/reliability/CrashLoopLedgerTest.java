package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;

/** The crash loop's checker finds each kind of violation it exists for, and accepts what a crash may leave. */
class CrashLoopLedgerTest {

    @TempDir
    Path dir;

    private GraphDatabase db;
    private final CrashLoopLedger ledger = new CrashLoopLedger();

    @BeforeEach
    void open() {
        db = GraphDatabase.open(CrashLoopChild.config(dir, SyncMode.PER_COMMIT));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Commits a whole group as the child does, or a part of one, and returns its node ids. */
    private long[] group(String tx, int nodes, int relationships) {
        return db.commit(t -> {
            long[] ids = new long[nodes];
            for (int part = 0; part < nodes; part++) {
                ids[part] = t.createNode(List.of(CrashLoopLedger.LABEL), Map.of("tx", tx, "part", part, "pad", ""));
            }
            for (int part = 1; part <= relationships; part++) {
                t.createRelationship(ids[part - 1], ids[part], CrashLoopLedger.TYPE, Map.of("tx", tx));
            }
            return ids;
        }).value();
    }

    private void delete(long[] nodes) {
        db.commit(t -> {
            for (long node : nodes) {
                t.detachDeleteNode(node);
            }
            return null;
        });
    }

    private List<String> check() {
        return List.copyOf(db.read(view -> ledger.check(view, "test")));
    }

    @Test
    void acceptsAcknowledgedGroupsAndAttemptedOnesWhetherPresentOrNot() {
        group("a", 3, 2);
        group("b", 3, 2);
        ledger.record("A a -");
        ledger.record("D a");
        ledger.record("A b -");
        ledger.record("A c -"); // attempted, never committed: absent is fine
        assertThat(check()).isEmpty();
        assertThat(ledger.totals().acknowledged).isEqualTo(1);
    }

    @Test
    void anAcknowledgedGroupThatIsMissingIsLost() {
        ledger.record("A a -");
        ledger.record("D a");
        assertThat(check()).singleElement().asString().startsWith("lost:");
        assertThat(ledger.totals().lost).isEqualTo(1);
    }

    @Test
    void aGroupNeverAttemptedIsAPhantom() {
        group("x", 3, 2);
        assertThat(check()).singleElement().asString().startsWith("phantom:");
        assertThat(ledger.totals().phantom).isEqualTo(1);
    }

    @Test
    void aGroupMissingARelationshipOrANodeIsTorn() {
        group("a", 3, 1);
        group("b", 2, 1);
        ledger.record("A a -");
        ledger.record("A b -");
        assertThat(check()).hasSize(2).allSatisfy(violation -> assertThat(violation).startsWith("torn:"));
    }

    @Test
    void aGroupPresentAtOneCheckMustStayUnlessACommittedTransactionDeletedIt() {
        long[] a = group("a", 3, 2);
        long[] b = group("b", 3, 2);
        ledger.record("A a -");
        ledger.record("A b -");
        assertThat(check()).isEmpty();
        delete(a);
        group("c", 3, 2);
        ledger.record("A c a"); // c deleted a, and c is present: a may go
        assertThat(check()).isEmpty();
        delete(b);
        assertThat(check()).singleElement().asString().startsWith("lost:").contains("group b");
    }

    @Test
    void aDeletionThatCommittedMustHaveRemovedItsVictim() {
        group("a", 3, 2);
        group("c", 3, 2);
        ledger.record("A a -");
        ledger.record("A c a");
        assertThat(check()).singleElement().asString().startsWith("torn:").contains("which deleted it");
    }

    @Test
    void aGroupThatDisappearedMayNotComeBack() {
        long[] a = group("a", 3, 2);
        ledger.record("A a -");
        assertThat(check()).isEmpty();
        delete(a);
        ledger.record("A d a");
        assertThat(check()).singleElement().asString().startsWith("lost:"); // d is absent, so a was lost
        group("a", 3, 2);
        assertThat(check()).singleElement().asString().startsWith("phantom:");
    }
}
