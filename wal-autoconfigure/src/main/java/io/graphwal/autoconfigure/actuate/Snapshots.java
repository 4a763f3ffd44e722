package io.graphwal.autoconfigure.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.graphwal.replay.CheckpointReport;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.snapshot.SnapshotFiles;

/**
 * Finds the newest snapshot: the last checkpoint of this process, else the newest snapshot file in the
 * directory.
 */
final class Snapshots {

    private Snapshots() {
    }

    static WalEndpoint.SnapshotDescriptor newest(GraphDatabase database) {
        CheckpointReport checkpoint = database.lastCheckpoint();
        if (checkpoint != null) {
            return new WalEndpoint.SnapshotDescriptor(checkpoint.lsn(), checkpoint.at(), checkpoint.bytes());
        }
        try {
            List<Path> snapshots = SnapshotFiles.list(database.wal().config().fileIO(),
                    database.wal().config().directory());
            if (snapshots.isEmpty()) {
                return null;
            }
            // SnapshotFiles.list returns the newest first.
            Path newest = snapshots.get(0);
            return new WalEndpoint.SnapshotDescriptor(SnapshotFiles.parseFileName(newest.getFileName().toString()),
                    Instant.ofEpochMilli(Files.getLastModifiedTime(newest).toMillis()), Files.size(newest));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
