package io.graphwal.wal;

/**
 * Thrown by every append, flush and checkpoint once a write or fsync has failed. The log refuses all
 * further writes for the life of the process; restarting replays what reached the disk. The cause is the
 * original I/O failure.
 */
public class WalPoisonedException extends WalException {

    private static final long serialVersionUID = 1L;

    private final transient WalPoison poison;

    /**
     * Creates the exception for a poisoned log.
     *
     * @param poison the first failure
     */
    public WalPoisonedException(WalPoison poison) {
        super("The write-ahead log is poisoned since " + poison.at() + " by a failed " + poison.operation()
                + "; writes are refused until restart, which replays what is on disk (durable LSN "
                + poison.durableLsn() + "). Cause: " + poison.cause(), poison.cause());
        this.poison = poison;
    }

    /**
     * Returns the first failure.
     *
     * @return the poison
     */
    public WalPoison poison() {
        return poison;
    }
}
