package io.graphwal.wal;

import java.time.Instant;

/**
 * The first write or fsync failure, which poisoned the log.
 *
 * @param cause the I/O failure
 * @param at when it happened
 * @param operation what was being done, for example {@code "fsync of 00000000000000000001.wal"}
 * @param durableLsn the last LSN known durable when it happened; later records may be lost on restart
 */
public record WalPoison(Throwable cause, Instant at, String operation, long durableLsn) {
}
