package io.graphwal.replay;

/**
 * Receives the change feed of a {@link GraphDatabase}: every durable transaction, once, in LSN order, on the
 * subscription's own thread (see {@link ChangeSubscription}).
 *
 * <p>A transaction counts as delivered when this method returns; the subscription then moves on and lets the
 * log purge what it no longer needs. Throwing stops the subscription with that failure, at that transaction:
 * nothing is skipped, and a new subscription from {@link ChangeSubscription#position()} + 1 receives it again.
 */
@FunctionalInterface
public interface ChangeListener {

    /**
     * Handles one durable transaction. May block (the commits of the graph do not wait for it), but a call that
     * never returns also keeps {@link ChangeSubscription#close()} and the database's close waiting.
     *
     * @param transaction the transaction, with its LSN, commit time and mutations
     * @throws Exception to stop the subscription; it is logged and kept as the subscription's failure
     */
    void onCommitted(CommittedTransaction transaction) throws Exception;
}
