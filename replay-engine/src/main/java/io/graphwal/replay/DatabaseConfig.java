package io.graphwal.replay;

import java.util.Objects;

import io.graphwal.wal.InvalidSettingException;
import io.graphwal.wal.WalConfig;

/**
 * How to open a {@link GraphDatabase}.
 *
 * @param wal the write-ahead log's configuration; snapshots live in the same directory
 * @param snapshotEveryRecords take a checkpoint in the background after this many committed transactions;
 *     0 turns automatic checkpoints off
 * @param snapshotRetain how many snapshots to keep (at least 1); the log is purged only up to the oldest
 *     kept one, so an unreadable newest snapshot can fall back to an older one
 */
public record DatabaseConfig(WalConfig wal, long snapshotEveryRecords, int snapshotRetain) {

    /** Default automatic checkpoint period: one million committed transactions. */
    public static final long DEFAULT_SNAPSHOT_EVERY_RECORDS = 1_000_000;
    /** Default number of snapshots kept. */
    public static final int DEFAULT_SNAPSHOT_RETAIN = 2;

    /**
     * Validates the fields, naming the one that is wrong.
     *
     * @throws InvalidSettingException if a value is out of range
     */
    public DatabaseConfig {
        Objects.requireNonNull(wal, "wal");
        if (snapshotEveryRecords < 0) {
            throw new InvalidSettingException("snapshotEveryRecords", snapshotEveryRecords,
                    "0 (automatic checkpoints off) or a positive number of committed transactions");
        }
        if (snapshotRetain < 1) {
            throw new InvalidSettingException("snapshotRetain", snapshotRetain, "at least 1");
        }
    }

    /**
     * A configuration with default snapshot settings.
     *
     * @param wal the log's configuration
     * @return the configuration
     */
    public static DatabaseConfig of(WalConfig wal) {
        return new DatabaseConfig(wal, DEFAULT_SNAPSHOT_EVERY_RECORDS, DEFAULT_SNAPSHOT_RETAIN);
    }
}
