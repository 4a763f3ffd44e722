package io.graphwal.replay;

import java.util.Objects;
import java.util.function.Supplier;

import io.graphwal.archive.ArchiveConfig;
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
 * @param archive where and how to archive the log and snapshots, or {@code null} for no archive
 * @param restoreIfEmpty whether a directory that holds no segment and no snapshot is first restored from the
 *     archive's newest state (needs {@code archive}); a replica with an archive always does
 * @param leaderGraphId {@code null} for an ordinary graph; otherwise the database is a read replica (see
 *     {@link GraphDatabase#applyReplicated}) and this is asked for its leader's graph id (a UUID in lower-case
 *     text), only when the directory holds no graph to open and the archive, if any, none to restore, so that
 *     the new log carries the leader's id
 */
public record DatabaseConfig(WalConfig wal, long snapshotEveryRecords, int snapshotRetain, ArchiveConfig archive,
        boolean restoreIfEmpty, Supplier<String> leaderGraphId) {

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
        if (restoreIfEmpty && archive == null) {
            throw new InvalidSettingException("restoreIfEmpty", true, "false unless an archive is configured");
        }
    }

    /**
     * A configuration without an archive.
     *
     * @param wal the log's configuration
     * @param snapshotEveryRecords commits between automatic checkpoints, 0 for none
     * @param snapshotRetain how many snapshots to keep
     */
    public DatabaseConfig(WalConfig wal, long snapshotEveryRecords, int snapshotRetain) {
        this(wal, snapshotEveryRecords, snapshotRetain, null, false, null);
    }

    /**
     * A configuration of an ordinary graph (not a replica).
     *
     * @param wal the log's configuration
     * @param snapshotEveryRecords commits between automatic checkpoints, 0 for none
     * @param snapshotRetain how many snapshots to keep
     * @param archive where and how to archive, or {@code null}
     * @param restoreIfEmpty whether an empty directory is first restored from the archive
     */
    public DatabaseConfig(WalConfig wal, long snapshotEveryRecords, int snapshotRetain, ArchiveConfig archive,
            boolean restoreIfEmpty) {
        this(wal, snapshotEveryRecords, snapshotRetain, archive, restoreIfEmpty, null);
    }

    /**
     * This configuration with an archive.
     *
     * @param newArchive where and how to archive
     * @param restore whether an empty directory is first restored from it
     * @return the configuration
     */
    public DatabaseConfig withArchive(ArchiveConfig newArchive, boolean restore) {
        return new DatabaseConfig(wal, snapshotEveryRecords, snapshotRetain, newArchive, restore, leaderGraphId);
    }

    /**
     * This configuration for a read replica: commits are refused, transactions come from the leader through
     * {@link GraphDatabase#applyReplicated}, and an archive serves only to bootstrap an empty directory.
     *
     * @param leaderId asked for the leader's graph id when the directory holds no graph yet (it may block,
     *     e.g. reading the change-feed topic, and should fail with a clear message if it cannot tell)
     * @return the configuration
     */
    public DatabaseConfig withReplica(Supplier<String> leaderId) {
        return new DatabaseConfig(wal, snapshotEveryRecords, snapshotRetain, archive, restoreIfEmpty,
                Objects.requireNonNull(leaderId, "leaderId"));
    }

    /**
     * Returns whether this configures a read replica.
     *
     * @return true for a replica
     */
    public boolean replica() {
        return leaderGraphId != null;
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
