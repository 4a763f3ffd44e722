package io.graphwal.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class TargetsTest {

    /** A throughput-mode result equal to {@code threads} operations every {@code micros} µs. */
    private static Figures perOp(String key, int threads, double micros) {
        return Figures.rate(key, threads, threads / micros, "ops/us");
    }

    private static Figures sampled(String key, int threads, double micros) {
        return new Figures(key, threads, Double.NaN, micros, micros, micros * 2, micros * 3, "us/op", 1000, false);
    }

    private static Target named(List<Target> targets, String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void throughputComesFromThroughputModeInItsTimeUnit() {
        assertThat(perOp("x", 16, 100).opsPerSecond()).isCloseTo(160_000, within(1e-6));
        assertThat(Figures.rate("y", 1, 500, "ops/s").opsPerSecond()).isCloseTo(500, within(1e-9));
        assertThat(Figures.rate("z", 4, 2, "ops/ms").opsPerSecond()).isCloseTo(2000, within(1e-9));
        assertThat(sampled("w", 16, 100).opsPerSecond()).as("a sampled mean gives no rate").isNaN();
    }

    @Test
    void theTwoModesOfOneConfigurationMergeEachFigureFromItsOwnMode() {
        Measurements measured = new Measurements();
        measured.add(perOp("k", 1, 2));
        measured.add(sampled("k", 1, 9));
        Figures both = measured.figures("k").orElseThrow();
        assertThat(both.opsPerSecond()).as("from throughput mode, not 1/9 µs").isCloseTo(500_000, within(1e-6));
        assertThat(both.mean()).isEqualTo(9);
        assertThat(both.p999()).isEqualTo(27);
        assertThat(both.samples()).isEqualTo(1000);
    }

    @Test
    void aRatioWithOnlySampledTimesIsNotMeasured() {
        Measurements measured = new Measurements();
        measured.add(sampled(Targets.graphwal("GROUP", 1, 256), 1, 1));
        measured.add(sampled(Targets.rocksdb(false, 1, 256), 1, 5));
        Target target = named(Targets.evaluate(measured, Profile.QUICK), "group-1t-256B-vs-rocksdb-nosync");
        assertThat(target.passed()).isFalse();
        assertThat(target.line()).contains("a side of the ratio was not measured");
    }

    @Test
    void floorRateIsFsyncRateTimesGraphWalRecordsPerFsync() {
        Measurements measured = new Measurements();
        measured.add(perOp(Targets.floor(16, 256), 1, 100));          // 10,000 fsyncs/s
        measured.fact(Targets.recordsPerFsync(16, 256), 12.5);
        assertThat(Targets.floorRecordsPerSecond(measured, 16, 256)).hasValueSatisfying(
                rate -> assertThat(rate).isCloseTo(125_000, within(1e-6)));
    }

    @Test
    void perCommitRatiosPassOrMissAgainstTheirGoals() {
        Measurements measured = new Measurements();
        measured.add(perOp(Targets.graphwal("PER_COMMIT", 16, 256), 16, 160));   // 100,000 records/s
        measured.add(perOp(Targets.floor(16, 256), 1, 100));                      // 10,000 fsyncs/s
        measured.fact(Targets.recordsPerFsync(16, 256), 11);                      // floor 110,000 records/s
        measured.add(perOp(Targets.rocksdb(true, 16, 256), 16, 400));             // 40,000 records/s

        List<Target> targets = Targets.evaluate(measured, Profile.QUICK);

        Target floor = named(targets, "per-commit-16t-256B-vs-raw-floor");
        assertThat(floor.measured()).isCloseTo(100_000.0 / 110_000, within(1e-9));
        assertThat(floor.passed()).isTrue();
        assertThat(floor.line()).startsWith("per-commit-16t-256B-vs-raw-floor measured=0.91x goal=>=0.80x PASS");
        Target rocks = named(targets, "per-commit-16t-256B-vs-rocksdb-sync");
        assertThat(rocks.measured()).isCloseTo(2.5, within(1e-9));
        assertThat(rocks.passed()).isTrue();

        measured.add(perOp(Targets.rocksdb(true, 16, 256), 16, 200));             // now 80,000 records/s: 1.25x
        assertThat(named(Targets.evaluate(measured, Profile.QUICK), "per-commit-16t-256B-vs-rocksdb-sync").line())
                .contains("measured=1.25x goal=>=2.00x MISS");
    }

    @Test
    void anUnmeasuredTargetIsAMissWithTheReason() {
        Measurements measured = new Measurements();
        measured.failed("replay", "replay failed: java.lang.OutOfMemoryError");

        List<Target> targets = Targets.evaluate(measured, Profile.QUICK);

        assertThat(targets).isNotEmpty().noneMatch(Target::passed);
        assertThat(named(targets, "replay-mutations-per-second").line())
                .isEqualTo("replay-mutations-per-second measured=n/a goal=>=2.00M/s MISS  (not measured: replay "
                        + "failed: java.lang.OutOfMemoryError)");
    }

    @Test
    void loadMemoryAndStallTargetsUseTheirOwnUnitsAndBounds() {
        Measurements measured = new Measurements();
        Profile profile = Profile.QUICK;
        measured.add(new Figures(Targets.replay(profile.replayMutations()), 1, Double.NaN, 500, 500, 500, 500,
                "ms/op", 2, true));
        measured.add(new Figures(Targets.snapshotLoad(profile.graphNodes(), profile.graphRelationships()), 1,
                Double.NaN, 3000, 3000, 3000, 3000, "ms/op", 2, true));
        measured.fact("memory.graphwal.bytesPerNode", 150);
        measured.fact("memory.graphwal.bytesPerRelationship", 100.5);
        measured.fact("memory.graphwal.heapBytes", 1000);
        measured.fact("memory.tinkergraph.heapBytes", 4000);
        measured.add(new Figures(Targets.checkpointStall(profile.graphNodes(), profile.graphRelationships()), 1,
                Double.NaN, 5, 4, 900, 49_999, "us/op", 100_000, false));

        List<Target> targets = Targets.evaluate(measured, profile);

        assertThat(named(targets, "replay-mutations-per-second").measured()).isCloseTo(4_000_000, within(1e-6));
        assertThat(named(targets, "replay-mutations-per-second").passed()).isTrue();
        assertThat(named(targets, "snapshot-load-1M-nodes-5M-rels").passed()).as("3 s is not under 3 s").isFalse();
        assertThat(named(targets, "memory-bytes-per-node").passed()).as("at most 150").isTrue();
        assertThat(named(targets, "memory-bytes-per-relationship").passed()).isFalse();
        assertThat(named(targets, "memory-vs-tinkergraph").measured()).isCloseTo(4, within(1e-9));
        assertThat(named(targets, "memory-vs-tinkergraph").passed()).isTrue();
        Target stall = named(targets, "checkpoint-stall-p99.9-commit-latency");
        assertThat(stall.measured()).isCloseTo(49.999, within(1e-9));
        assertThat(stall.passed()).isTrue();
    }

    @Test
    void unknownProfileNamesTheAllowedOnes() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Profile.named("fast"))
                .withMessageContaining("'fast'").withMessageContaining("quick").withMessageContaining("full");
        assertThat(Profile.named("FULL")).isEqualTo(Profile.FULL);
    }

    @Test
    void everyProfileMeasuresTheRecordSizeTheAppendTargetsName() {
        // The append targets read only 256-byte figures: a profile without that size would print them as missing.
        assertThat(Profile.QUICK.recordSizes()).containsExactly(Targets.RECORD_BYTES);
        assertThat(Profile.FULL.recordSizes()).contains(Targets.RECORD_BYTES).hasSizeGreaterThan(1);
        assertThat(Profile.QUICK.describe()).contains("appends of 256-byte records");
    }

    private static Figures loads(String key, double millis, long samples) {
        return new Figures(key, 1, Double.NaN, millis, millis, millis, millis, "ms/op", samples, true);
    }

    @Test
    void restoreIsJudgedOnWhatItCostsBeyondReadingTheArchive() {
        Measurements measured = new Measurements();
        measured.add(loads(Targets.archiveRestore("restore", 1_000_000, 5_000_000), 6_500, 2));
        measured.add(loads(Targets.archiveRestore("readArchive", 1_000_000, 5_000_000), 2_000, 2));
        Target restore = named(Targets.archive(measured, Profile.QUICK),
                "archive-restore-1M-nodes-5M-rels-beyond-read");
        assertThat(restore.measured()).isCloseTo(4.5, within(1e-9));
        assertThat(restore.passed()).isTrue();
        assertThat(restore.line()).contains("restore from a directory archive 6.50 s, reading its bytes 2.00 s");

        measured.add(loads(Targets.archiveRestore("restore", 1_000_000, 5_000_000), 7_500, 2));
        Target slow = named(Targets.archive(measured, Profile.QUICK), "archive-restore-1M-nodes-5M-rels-beyond-read");
        assertThat(slow.measured()).isCloseTo(5.5, within(1e-9));
        assertThat(slow.passed()).isFalse();
    }

    @Test
    void theArchiveOnTheLogsDiskAndOnAnotherDeviceAreJudgedApart() {
        Measurements measured = new Measurements();
        measured.add(Figures.rate(Targets.archiveCommit("PER_COMMIT", "off"), 16, 40_000, "ops/s"));
        measured.add(Figures.rate(Targets.archiveCommit("PER_COMMIT", "file"), 16, 34_000, "ops/s"));
        measured.add(Figures.rate(Targets.archiveCommit("PER_COMMIT", "other-device"), 16, 39_000, "ops/s"));
        List<Target> targets = Targets.archive(measured, Profile.QUICK);
        Target sameDisk = named(targets, "archive-on-per-commit-16t-vs-off");
        assertThat(sameDisk.measured()).isCloseTo(0.85, within(1e-9));
        assertThat(sameDisk.passed()).isFalse();
        Target otherDevice = named(targets, "archive-on-other-device-per-commit-16t-vs-off");
        assertThat(otherDevice.measured()).isCloseTo(0.975, within(1e-9));
        assertThat(otherDevice.passed()).isTrue();
        assertThat(otherDevice.line()).contains("on another device");
        assertThat(otherDevice.line()).doesNotContain("the archiver's threads");
    }

    @Test
    void groupModeIsJudgedOnBothDevicesAndNamesTheArchiversShareOfTheMachine() {
        Measurements measured = new Measurements();
        measured.add(Figures.rate(Targets.archiveCommit("GROUP", "off"), 1, 300_000, "ops/s"));
        measured.add(Figures.rate(Targets.archiveCommit("GROUP", "file"), 1, 240_000, "ops/s"));
        measured.add(Figures.rate(Targets.archiveCommit("GROUP", "other-device"), 1, 270_000, "ops/s"));
        measured.fact(Targets.archiverCpu("GROUP", "other-device"), 0.25);
        measured.fact(Targets.archiverKernelShare("GROUP", "other-device"), 0.8);
        List<Target> targets = Targets.archive(measured, Profile.QUICK);
        Target sameDisk = named(targets, "archive-on-group-1t-vs-off");
        assertThat(sameDisk.measured()).isCloseTo(0.8, within(1e-9));
        assertThat(sameDisk.line()).doesNotContain("the archiver's threads");
        Target otherDevice = named(targets, "archive-on-other-device-group-1t-vs-off");
        assertThat(otherDevice.measured()).isCloseTo(0.9, within(1e-9));
        assertThat(otherDevice.passed()).isFalse();
        assertThat(otherDevice.line()).contains("the archiver's threads used 0.25 cores (80% in the kernel) of");
    }

    @Test
    void aRestoreWithoutItsReadIsNotMeasured() {
        Measurements measured = new Measurements();
        measured.add(loads(Targets.archiveRestore("restore", 1_000_000, 5_000_000), 1_000, 2));
        Target restore = named(Targets.archive(measured, Profile.QUICK),
                "archive-restore-1M-nodes-5M-rels-beyond-read");
        assertThat(restore.passed()).isFalse();
        assertThat(restore.line()).contains("no result for archive-restore/readArchive/");
    }

    @Test
    void publishingIsJudgedPerModeAndNamesTheBrokersShareOfTheMachine() {
        Measurements measured = new Measurements();
        measured.add(Figures.rate(Targets.publishCommit("PER_COMMIT", "off"), 16, 40_000, "ops/s"));
        measured.add(Figures.rate(Targets.publishCommit("PER_COMMIT", "on"), 16, 39_000, "ops/s"));
        measured.add(Figures.rate(Targets.publishCommit("GROUP", "off"), 1, 300_000, "ops/s"));
        measured.add(Figures.rate(Targets.publishCommit("GROUP", "on"), 1, 210_000, "ops/s"));
        measured.fact(Targets.brokerCpu("GROUP"), 0.47);
        measured.fact(Targets.publisherCpu("GROUP"), 0.41);
        List<Target> targets = Targets.kafka(measured);
        Target perCommit = named(targets, "publish-per-commit-16t-on-vs-off");
        assertThat(perCommit.measured()).isCloseTo(0.975, within(1e-9));
        assertThat(perCommit.passed()).isTrue();
        assertThat(perCommit.line()).doesNotContain("the broker");
        Target group = named(targets, "publish-group-1t-on-vs-off");
        assertThat(group.measured()).isCloseTo(0.7, within(1e-9));
        assertThat(group.passed()).isFalse();
        assertThat(group.line()).contains("group, 1 thread").contains("the publisher's threads used 0.41 cores")
                .contains("the broker, on the same machine, used 0.47 cores meanwhile, of ");
    }

    @Test
    void replicaLagIsTheNearestRankP99OfEverySampleBelow100Milliseconds() {
        Measurements measured = new Measurements();
        long[] micros = new long[1000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = (micros.length - i) * 100L; // 100 ms down to 100 µs: the order does not matter
        }
        Targets.replicaLagFacts(measured, micros, 7);
        Target lag = named(Targets.kafka(measured), "replica-lag-p99-at-1000-commits-per-second");
        assertThat(lag.measured()).as("the 990th of 1,000 values, 99.0 ms").isCloseTo(99.0, within(1e-9));
        assertThat(lag.passed()).isTrue();
        assertThat(lag.line()).contains("p50 50.0 ms").contains("max 100.0 ms").contains("1,000 transactions")
                .contains("at most 7 ms behind");

        for (int i = 0; i < 10; i++) {
            micros[i] = 150_000; // the slowest 1% slower still: the p99 stays
        }
        Measurements tail = new Measurements();
        Targets.replicaLagFacts(tail, micros, 0);
        assertThat(named(Targets.kafka(tail), "replica-lag-p99-at-1000-commits-per-second").measured())
                .isCloseTo(99.0, within(1e-9));
        micros[10] = 150_000; // one more past 100 ms, and it is the p99
        Measurements slow = new Measurements();
        Targets.replicaLagFacts(slow, micros, 0);
        Target missed = named(Targets.kafka(slow), "replica-lag-p99-at-1000-commits-per-second");
        assertThat(missed.measured()).isCloseTo(150.0, within(1e-9));
        assertThat(missed.passed()).isFalse();
    }

    @Test
    void aLagThatWasNotMeasuredSaysWhy() {
        Measurements measured = new Measurements();
        measured.failed("kafka", "No Kafka broker to start: broker-classpath.txt is missing");
        Target lag = named(Targets.kafka(measured), "replica-lag-p99-at-1000-commits-per-second");
        assertThat(lag.passed()).isFalse();
        assertThat(lag.line()).contains("broker-classpath.txt is missing");
        Targets.replicaLagFacts(measured, new long[0], 0);
        assertThat(measured.fact(Targets.replicaLag("p99Millis"))).isEmpty();
    }
}
