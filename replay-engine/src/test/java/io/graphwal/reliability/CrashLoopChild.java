package io.graphwal.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.graphwal.graph.Node;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * The process that {@link CrashLoopTest} kills: opens a database and commits transactions from several
 * threads until it is killed, reporting on standard output, one flushed line each, what it attempts and what
 * is acknowledged as durable.
 *
 * <p>Arguments: {@code DIR SYNC_MODE CYCLE THREADS SEED}. Lines: {@code READY}, then per transaction
 * {@code A <tx> <deleted tx or ->} before the commit starts and {@code D <tx>} once it is durable (in
 * {@code per-commit} mode when {@code commit} returns, in {@code group} mode once {@code Commit.durable()}
 * completes). Each transaction creates a group of {@value CrashLoopLedger#GROUP_NODES} nodes labelled
 * {@value CrashLoopLedger#LABEL} linked by {@value CrashLoopLedger#GROUP_RELATIONSHIPS} relationships, all
 * carrying the transaction's name, and, once more than {@value #KEEP_GROUPS} groups exist, detach-deletes
 * one older group in the same transaction, so the graph stays small however many cycles run. Anything unexpected prints {@code FAIL} and exits with 3.
 *
 * <p>Threads: the writer threads are named {@code crash-writer-N}; none is ever joined, since the process
 * ends by being killed. Groups that may be deleted sit in a concurrent queue shared by the writers; a group
 * enters it only once its own commit has returned, and leaves it before a transaction deletes it, so no
 * two transactions delete the same group.
 */
final class CrashLoopChild {

    /** Keep this many groups at least, so deleting one never empties the graph. */
    private static final int KEEP_GROUPS = 24;


    private record Group(String tx, long[] nodes) {
    }

    private CrashLoopChild() {
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args[0]), SyncMode.valueOf(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Long.parseLong(args[4]));
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }

    static DatabaseConfig config(Path dir, SyncMode mode) {
        // Small segments and frequent checkpoints, so rollover, snapshots and purge all happen under the kill.
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(mode).groupInterval(Duration.ofMillis(2))
                .segmentSize(64 * 1024).maxRecordSize(16 * 1024).build(), 40, 2);
    }

    private static void run(Path dir, SyncMode mode, int cycle, int threads, long seed) {
        GraphDatabase db = GraphDatabase.open(config(dir, mode));
        ConcurrentLinkedQueue<Group> deletable = new ConcurrentLinkedQueue<>(existingGroups(db));
        ChildReport.say("READY");
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Random random = new Random(seed * 31 + t);
            Thread writer = new Thread(() -> write(db, mode, "c" + cycle + "t" + thread + "n", deletable, random),
                    "crash-writer-" + t);
            writer.setDaemon(false);
            writer.start();
        }
    }

    private static List<Group> existingGroups(GraphDatabase db) {
        return db.read(view -> {
            Map<String, List<Long>> byTx = new LinkedHashMap<>();
            for (Node node : view.nodesWithLabel(CrashLoopLedger.LABEL)) {
                byTx.computeIfAbsent((String) node.properties().get("tx"), tx -> new ArrayList<>()).add(node.id());
            }
            List<Group> groups = new ArrayList<>();
            byTx.forEach((tx, ids) -> groups.add(new Group(tx, ids.stream().mapToLong(Long::longValue).toArray())));
            return groups;
        });
    }

    private static void write(GraphDatabase db, SyncMode mode, String prefix, ConcurrentLinkedQueue<Group> deletable,
            Random random) {
        try {
            for (long n = 0; ; n++) {
                String tx = prefix + n;
                // Above the floor every transaction deletes one group as it creates one, so the graph stays the
                // same size however many cycles run (a long run once outgrew the child's heap otherwise).
                Group victim = deletable.size() > KEEP_GROUPS ? deletable.poll() : null;
                ChildReport.say("A " + tx + " " + (victim == null ? "-" : victim.tx()));
                int padding = random.nextInt(200);
                var commit = db.commit(t -> {
                    if (victim != null) {
                        for (long node : victim.nodes()) {
                            t.detachDeleteNode(node);
                        }
                    }
                    long[] nodes = new long[CrashLoopLedger.GROUP_NODES];
                    for (int part = 0; part < nodes.length; part++) {
                        nodes[part] = t.createNode(List.of(CrashLoopLedger.LABEL),
                                Map.of("tx", tx, "part", part, "pad", "x".repeat(padding)));
                    }
                    for (int part = 1; part < nodes.length; part++) {
                        t.createRelationship(nodes[part - 1], nodes[part], CrashLoopLedger.TYPE, Map.of("tx", tx));
                    }
                    return nodes;
                });
                if (mode != SyncMode.PER_COMMIT) {
                    commit.durable().get(60, TimeUnit.SECONDS);
                }
                ChildReport.say("D " + tx);
                deletable.add(new Group(tx, commit.value()));
            }
        } catch (Throwable e) {
            ChildReport.fail(e);
        }
    }
}
