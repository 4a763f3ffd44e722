package io.graphwal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class PeerTargetsTest {

    private static final Profile PROFILE = Profile.QUICK;

    private static Figures perSecond(String key, int threads, double rate) {
        return Figures.rate(key, threads, rate, "ops/s");
    }

    private static Figures restart(String system, double millis) {
        return new Figures(Targets.peerReopen(system, PROFILE.peerNodes(), PROFILE.peerRelationships()), 1,
                Double.NaN, millis, millis, millis, millis, "ms/op", 2, true);
    }

    private static Target named(List<Target> targets, String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void sixteenThreadCommitsNeedAMultipleOfEachPeerAndOneThreadOnlyALead() {
        Measurements measured = new Measurements();
        measured.add(perSecond(Targets.peerCommit("GRAPHWAL", 16), 16, 50_000));
        measured.add(perSecond(Targets.peerCommit("NEO4J", 16), 16, 10_000));
        measured.add(perSecond(Targets.peerCommit("ARCADEDB", 16), 16, 20_000));
        measured.add(perSecond(Targets.peerCommit("GRAPHWAL", 1), 1, 2_000));
        measured.add(perSecond(Targets.peerCommit("NEO4J", 1), 1, 1_999));
        measured.add(perSecond(Targets.peerCommit("ARCADEDB", 1), 1, 2_000));

        List<Target> targets = Targets.peers(measured, PROFILE);

        assertThat(named(targets, "durable-commit-16t-vs-neo4j").line())
                .startsWith("durable-commit-16t-vs-neo4j measured=5.00x goal=>=5.00x PASS");
        assertThat(named(targets, "durable-commit-16t-vs-arcadedb").line())
                .startsWith("durable-commit-16t-vs-arcadedb measured=2.50x goal=>=3.00x MISS");
        assertThat(named(targets, "durable-commit-1t-vs-neo4j").passed()).isTrue();
        assertThat(named(targets, "durable-commit-1t-vs-arcadedb").passed()).as("a tie is not ahead").isFalse();
        assertThat(named(targets, "durable-commit-1t-vs-arcadedb").line()).contains("goal=>1.00x");
    }

    @Test
    void readsAndRestartsCompareWithTheFastestPeer() {
        Measurements measured = new Measurements();
        measured.add(perSecond(Targets.peerRead("oneHop", "GRAPHWAL", 2), 2, 300_000));
        measured.add(perSecond(Targets.peerRead("oneHop", "NEO4J", 2), 2, 100_000));
        measured.add(perSecond(Targets.peerRead("oneHop", "ARCADEDB", 2), 2, 200_000));
        measured.add(restart("GRAPHWAL", 400));
        measured.add(restart("NEO4J", 9_000));
        measured.add(restart("ARCADEDB", 1_000));

        List<Target> targets = Targets.peers(measured, PROFILE);

        Target read = named(targets, "read-oneHop-2t-vs-fastest-peer");
        assertThat(read.measured()).isCloseTo(1.5, within(1e-9));
        assertThat(read.passed()).isTrue();
        assertThat(read.line()).contains("fastest peer (ArcadeDB)");
        Target reopen = named(targets, "crash-reopen-vs-fastest-peer");
        assertThat(reopen.measured()).as("ArcadeDB's 1,000 ms over GraphWAL's 400").isCloseTo(2.5, within(1e-9));
        assertThat(reopen.passed()).isFalse();
        assertThat(reopen.line()).contains("fastest peer (ArcadeDB)");
    }

    @Test
    void aPeerTargetWithoutItsPeersIsAMiss() {
        Measurements measured = new Measurements();
        measured.add(perSecond(Targets.peerRead("lookup", "GRAPHWAL", 1), 1, 1_000_000));

        Target lookup = named(Targets.peers(measured, PROFILE), "read-lookup-1t-vs-fastest-peer");

        assertThat(lookup.passed()).isFalse();
        assertThat(lookup.line()).contains("not measured");
        assertThat(Targets.evaluate(measured, PROFILE)).as("they print in a block of their own")
                .noneMatch(t -> t.name().equals("read-lookup-1t-vs-fastest-peer"));
    }
}
