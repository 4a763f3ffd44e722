package io.graphwal.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.graphwal.graph.Direction;
import io.graphwal.graph.GraphView;
import io.graphwal.graph.Node;
import io.graphwal.graph.Relationship;

/**
 * The set checker of the crash loop: records what one child process attempted and acknowledged, then checks
 * the recovered graph against it and against what the previous check found.
 *
 * <p>Rules, for the groups of entities that {@link CrashLoopChild} commits one per transaction:
 * <ul>
 *   <li>a group present now was attempted in this cycle, or was present at the previous check
 *       (otherwise it is a <em>phantom</em>);</li>
 *   <li>a present group is whole: every node, label, property and relationship of it, and none of it was
 *       deleted by a transaction that committed (otherwise <em>torn</em>);</li>
 *   <li>a group that committed (acknowledged now, present at the previous check, or proven committed by a
 *       later committed transaction that deleted it) is present, unless a committed transaction deleted it
 *       (otherwise <em>lost</em>).</li>
 * </ul>
 * A transaction committed if its group is present, it was acknowledged, or a committed transaction deleted
 * its group (the child deletes only groups whose commit returned, and the log is replayed in order). Only the
 * current cycle and the previous check's groups are kept, so memory stays flat over thousands of cycles.
 * Not thread-safe: one reader thread records, the test thread checks after that thread has finished.
 */
final class CrashLoopLedger {

    static final String LABEL = "CrashGroup";
    static final String TYPE = "NEXT";
    static final int GROUP_NODES = 3;
    static final int GROUP_RELATIONSHIPS = GROUP_NODES - 1;

    /** The totals over every checked cycle. */
    static final class Totals {
        long acknowledged;
        long attempted;
        long lost;
        long phantom;
        long torn;
        final List<String> violations = new ArrayList<>();
    }

    private final Totals totals = new Totals();
    private Set<String> previouslyPresent = new HashSet<>();
    // The current cycle.
    private final Map<String, String> victims = new HashMap<>();
    private final Set<String> attempted = new HashSet<>();
    private final Set<String> acknowledged = new HashSet<>();

    Totals totals() {
        return totals;
    }

    /** Records one line of the child's output; returns false for a line that is not a report. */
    boolean record(String line) {
        String[] words = line.split(" ");
        if (words[0].equals("A") && words.length == 3) {
            attempted.add(words[1]);
            if (!words[2].equals("-")) {
                victims.put(words[1], words[2]);
            }
            return true;
        }
        if (words[0].equals("D") && words.length == 2) {
            if (!attempted.contains(words[1])) {
                violation("protocol", words[1] + " acknowledged before it was attempted");
            }
            acknowledged.add(words[1]);
            return true;
        }
        return false;
    }

    /** How many transactions the current cycle acknowledged so far. */
    int acknowledgedThisCycle() {
        return acknowledged.size();
    }

    /**
     * Checks the recovered graph and starts the next cycle.
     *
     * @param view the graph as reopened after the kill
     * @param cycle what to name in violations
     * @return the violations this check found
     */
    List<String> check(GraphView view, String cycle) {
        int before = totals.violations.size();
        Map<String, List<Node>> present = new TreeMap<>();
        for (Node node : view.nodesWithLabel(LABEL)) {
            Object tx = node.properties().get("tx");
            present.computeIfAbsent(String.valueOf(tx), key -> new ArrayList<>()).add(node);
        }
        Set<String> committed = committed(present.keySet());
        Map<String, String> committedDeleters = new HashMap<>();
        victims.forEach((deleter, victim) -> {
            if (committed.contains(deleter)) {
                committedDeleters.put(victim, deleter);
            }
        });
        for (Map.Entry<String, List<Node>> group : present.entrySet()) {
            String tx = group.getKey();
            if (!attempted.contains(tx) && !previouslyPresent.contains(tx)) {
                totals.phantom++;
                violation("phantom", cycle + ": group " + tx + " is present but was never attempted, or had "
                        + "already disappeared at an earlier check");
            }
            String wrong = wholeness(view, tx, group.getValue());
            if (wrong != null) {
                totals.torn++;
                violation("torn", cycle + ": group " + tx + " is not whole: " + wrong);
            }
            if (committedDeleters.containsKey(tx)) {
                totals.torn++;
                violation("torn", cycle + ": group " + tx + " is present although " + committedDeleters.get(tx)
                        + ", which deleted it, committed");
            }
        }
        Set<String> mustExist = new HashSet<>(previouslyPresent);
        mustExist.addAll(acknowledged);
        for (String tx : committed) {
            if (attempted.contains(tx)) {
                mustExist.add(tx);
            }
        }
        for (String tx : mustExist) {
            if (!present.containsKey(tx) && !committedDeleters.containsKey(tx)) {
                totals.lost++;
                violation("lost", cycle + ": group " + tx + " committed ("
                        + (acknowledged.contains(tx) ? "acknowledged as durable"
                                : previouslyPresent.contains(tx) ? "present after the previous recovery"
                                        : "a later committed transaction deleted it")
                        + ") but is missing and no committed transaction deleted it");
            }
        }
        totals.acknowledged += acknowledged.size();
        totals.attempted += attempted.size();
        previouslyPresent = new HashSet<>(present.keySet());
        victims.clear();
        attempted.clear();
        acknowledged.clear();
        return totals.violations.subList(before, totals.violations.size());
    }

    private Set<String> committed(Set<String> present) {
        Set<String> committed = new HashSet<>(present);
        committed.addAll(acknowledged);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, String> deletion : victims.entrySet()) {
                if (committed.contains(deletion.getKey()) && committed.add(deletion.getValue())) {
                    grew = true;
                }
            }
        }
        return committed;
    }

    /** Returns what is wrong with a present group, or null if it is whole. */
    private static String wholeness(GraphView view, String tx, List<Node> nodes) {
        if (nodes.size() != GROUP_NODES) {
            return nodes.size() + " nodes instead of " + GROUP_NODES;
        }
        Node[] byPart = new Node[GROUP_NODES];
        for (Node node : nodes) {
            Object part = node.properties().get("part");
            if (!(part instanceof Long p) || p < 0 || p >= GROUP_NODES || byPart[(int) (long) p] != null) {
                return "node " + node.id() + " has part " + part;
            }
            if (!(node.properties().get("pad") instanceof String) || node.properties().size() != 3) {
                return "node " + node.id() + " has the properties " + node.properties().keySet();
            }
            byPart[(int) (long) p] = node;
        }
        for (int part = 0; part < GROUP_NODES; part++) {
            List<Relationship> out = view.relationships(byPart[part].id(), Direction.OUTGOING, null);
            List<Relationship> in = view.relationships(byPart[part].id(), Direction.INCOMING, null);
            int expectedOut = part < GROUP_NODES - 1 ? 1 : 0;
            int expectedIn = part > 0 ? 1 : 0;
            if (out.size() != expectedOut || in.size() != expectedIn) {
                return "node of part " + part + " has " + out.size() + " outgoing and " + in.size()
                        + " incoming relationships";
            }
            for (Relationship rel : out) {
                if (!rel.type().equals(TYPE) || rel.endNode() != byPart[part + 1].id()
                        || !tx.equals(rel.properties().get("tx"))) {
                    return "relationship " + rel.id() + " is " + rel.type() + " to " + rel.endNode() + " "
                            + rel.properties();
                }
            }
        }
        return null;
    }

    private void violation(String kind, String detail) {
        totals.violations.add(kind + ": " + detail);
    }
}
