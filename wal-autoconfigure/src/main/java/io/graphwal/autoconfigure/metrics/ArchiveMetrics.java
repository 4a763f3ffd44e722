package io.graphwal.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;

import io.graphwal.archive.ArchiveListener;

/**
 * The archive's counters, fed by the archiver as its {@link ArchiveListener}: {@code graphwal.archive.uploads}
 * (tag {@code kind}), {@code graphwal.archive.uploaded.bytes} and {@code graphwal.archive.failures}. Like
 * {@link WalEventMetrics}, the listener exists before the database opens and counts into adders, so uploads
 * made before a registry is bound are counted too. {@link GraphWalMetrics} binds them, beside the gauges
 * {@code graphwal.archive.lsn} and {@code graphwal.archive.lag}, only when the database has an archive, so an
 * application without one shows no archive meters.
 */
public final class ArchiveMetrics implements ArchiveListener {

    private static final String[] KINDS = {"segment", "tail", "snapshot"};

    private final Map<String, LongAdder> uploads = new ConcurrentHashMap<>();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** Creates the counters, at zero. */
    public ArchiveMetrics() {
        for (String kind : KINDS) {
            uploads.put(kind, new LongAdder());
        }
    }

    @Override
    public void uploaded(String kind, long size) {
        uploads.computeIfAbsent(kind, k -> new LongAdder()).increment();
        bytes.add(size);
    }

    @Override
    public void failed(Throwable cause) {
        failures.increment();
    }

    /**
     * Registers the counters.
     *
     * @param registry where
     */
    public void bindTo(MeterRegistry registry) {
        uploads.forEach((kind, count) -> FunctionCounter.builder("graphwal.archive.uploads", count, LongAdder::sum)
            .description("Objects stored in the archive")
            .tag("kind", kind)
            .register(registry));
        FunctionCounter.builder("graphwal.archive.uploaded.bytes", bytes, LongAdder::sum)
            .description("Bytes stored in the archive")
            .baseUnit(BaseUnits.BYTES)
            .register(registry);
        FunctionCounter.builder("graphwal.archive.failures", failures, LongAdder::sum)
            .description("Archive attempts that failed and were retried")
            .register(registry);
    }

}
