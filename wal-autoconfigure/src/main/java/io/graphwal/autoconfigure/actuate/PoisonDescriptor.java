package io.graphwal.autoconfigure.actuate;

import java.time.Instant;
import java.util.Locale;

import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalPoison;

/**
 * The failure that poisoned the log, as the endpoints report it.
 *
 * @param cause the I/O failure, as its class and message
 * @param at when it happened
 * @param lsn the last LSN known durable when it happened; later records may be lost on restart
 * @param operation what was being done when it failed
 */
public record PoisonDescriptor(String cause, Instant at, long lsn, String operation) {

    static PoisonDescriptor of(WalPoison poison) {
        return (poison != null) ? new PoisonDescriptor(String.valueOf(poison.cause()), poison.at(), poison.durableLsn(),
                poison.operation()) : null;
    }

    // Written as the graphwal.wal.sync-mode property takes it.
    static String syncMode(SyncMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
