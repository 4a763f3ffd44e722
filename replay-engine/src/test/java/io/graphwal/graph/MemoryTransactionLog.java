package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transaction log that keeps its records in memory and makes them durable only when the test says so (or
 * at once, if built so): a graph needs nothing else, which is what lets graph tests run without a file.
 */
public final class MemoryTransactionLog implements TransactionLog {

    private final boolean visibleOnlyWhenDurable;
    private final boolean durableAtOnce;
    // Guarded by this.
    private final List<byte[]> records = new ArrayList<>();
    private final List<CompletableFuture<Long>> futures = new ArrayList<>();
    private long durableLsn;
    private RuntimeException failure;

    /**
     * Creates an empty log.
     *
     * @param visibleOnlyWhenDurable what {@link #visibleOnlyWhenDurable()} answers
     * @param durableAtOnce whether each record is durable as soon as it is written
     */
    public MemoryTransactionLog(boolean visibleOnlyWhenDurable, boolean durableAtOnce) {
        this.visibleOnlyWhenDurable = visibleOnlyWhenDurable;
        this.durableAtOnce = durableAtOnce;
    }

    @Override
    public boolean visibleOnlyWhenDurable() {
        return visibleOnlyWhenDurable;
    }

    @Override
    public synchronized void checkWritable() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized long write(ByteBuffer transaction) {
        checkWritable();
        byte[] bytes = new byte[transaction.remaining()];
        transaction.get(bytes);
        records.add(bytes);
        futures.add(new CompletableFuture<>());
        long lsn = records.size();
        if (durableAtOnce) {
            makeDurable(lsn);
        }
        return lsn;
    }

    @Override
    public synchronized void awaitDurable(long lsn) {
        boolean interrupted = false;
        while (durableLsn < lsn && failure == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (durableLsn < lsn) {
            throw failure;
        }
    }

    @Override
    public synchronized long durableLsn() {
        return durableLsn;
    }

    @Override
    public synchronized CompletableFuture<Long> durable(long lsn) {
        return futures.get((int) lsn - 1);
    }

    @Override
    public synchronized void fail(String operation, Throwable cause) {
        if (failure == null) {
            failure = new IllegalStateException("the log failed: " + operation, cause);
            for (int i = (int) durableLsn; i < futures.size(); i++) {
                futures.get(i).completeExceptionally(failure);
            }
            notifyAll();
        }
    }

    /**
     * Makes every record up to {@code lsn} durable, waking the commits that wait for them.
     *
     * @param lsn the newest durable LSN from now on
     */
    public synchronized void makeDurable(long lsn) {
        for (long next = durableLsn + 1; next <= Math.min(lsn, records.size()); next++) {
            futures.get((int) next - 1).complete(next);
            durableLsn = next;
        }
        notifyAll();
    }

    /**
     * Returns how many records were written.
     *
     * @return the newest LSN
     */
    public synchronized long writtenLsn() {
        return records.size();
    }

    /**
     * Returns a copy of every record written, in LSN order.
     *
     * @return the encoded transactions
     */
    public synchronized java.util.List<byte[]> records() {
        java.util.List<byte[]> copies = new ArrayList<>();
        for (byte[] record : records) {
            copies.add(record.clone());
        }
        return copies;
    }

    /**
     * Rebuilds a store from every record written, as replay would.
     *
     * @return the store
     */
    public synchronized GraphStore replay() {
        GraphStore store = new GraphStore();
        for (int i = 0; i < records.size(); i++) {
            store.apply(i + 1, MutationCodec.decode(ByteBuffer.wrap(records.get(i))));
        }
        return store;
    }
}
