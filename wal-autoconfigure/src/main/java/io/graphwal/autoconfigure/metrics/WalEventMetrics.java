package io.graphwal.autoconfigure.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalListener;

/**
 * Metrics of the log's work, fed by the log as its {@link WalListener}: {@code graphwal.wal.appends},
 * {@code graphwal.wal.appended.bytes}, {@code graphwal.wal.fsync}, {@code graphwal.wal.fsync.batch} and {@code graphwal.wal.commit}
 * (tagged with the {@code sync-mode}, which decides whether a commit waits for its fsync).
 *
 * <p>The log calls this listener from its appending and flushing threads, possibly before any registry is
 * bound (the listener must exist before the database opens). Appends are counted in adders that the
 * counters read, so none are lost; fsyncs are recorded into the meters of every registry bound so far, so
 * fsyncs and commits made before the first binding (during replay and startup) are not timed.
 */
public final class WalEventMetrics implements WalListener, MeterBinder {

    private final LongAdder appends = new LongAdder();

    private final LongAdder appendedBytes = new LongAdder();

    private final List<Timer> fsyncTimers = new CopyOnWriteArrayList<>();

    private final List<DistributionSummary> batchSummaries = new CopyOnWriteArrayList<>();

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    // The commit timers of every bound registry, per sync mode; cleared when a registry is bound.
    private final Map<SyncMode, List<Timer>> commitTimers = new ConcurrentHashMap<>();

    @Override
    public void appended(long lsn, int bytes) {
        appends.increment();
        appendedBytes.add(bytes);
    }

    @Override
    public void synced(long durationNanos, long records) {
        for (Timer timer : fsyncTimers) {
            timer.record(durationNanos, TimeUnit.NANOSECONDS);
        }
        for (DistributionSummary summary : batchSummaries) {
            summary.record(records);
        }
    }

    @Override
    public void committed(long lsn, SyncMode syncMode, long durationNanos) {
        for (Timer timer : commitTimers.computeIfAbsent(syncMode, this::commitTimers)) {
            timer.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    private List<Timer> commitTimers(SyncMode syncMode) {
        String tag = syncMode.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return registries.stream()
            .map((registry) -> Timer.builder("graphwal.wal.commit")
                .description("Time taken by commit calls, the transaction's own work included; in per-commit "
                        + "mode they wait for the fsync")
                .tag("sync-mode", tag)
                .register(registry))
            .toList();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        commitTimers.clear();
        FunctionCounter.builder("graphwal.wal.appends", appends, LongAdder::doubleValue)
            .description("Records appended to the write-ahead log")
            .baseUnit("records")
            .register(registry);
        FunctionCounter.builder("graphwal.wal.appended.bytes", appendedBytes, LongAdder::doubleValue)
            .description("Bytes appended to the write-ahead log, record headers included")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        fsyncTimers.add(Timer.builder("graphwal.wal.fsync")
            .description("Time taken by fsyncs of the write-ahead log")
            .register(registry));
        batchSummaries.add(DistributionSummary.builder("graphwal.wal.fsync.batch")
            .description("Records made durable by one fsync of the write-ahead log")
            .baseUnit("records")
            .register(registry));
    }
}
