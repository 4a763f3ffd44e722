package io.graphwal.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;
import io.graphwal.snapshot.SnapshotFiles;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;
import io.graphwal.wal.WalException;

/**
 * A checkpoint proves its snapshot readable before it lets the log behind it go: a snapshot that does not read
 * back (here one byte of it is damaged on its way to the file, after its checksum was computed) fails the
 * checkpoint, is removed, and leaves every segment in place, so the next start rebuilds the graph from the log.
 * Without the check the log was purged behind a snapshot no start could read.
 */
class CheckpointVerificationTest {

    @TempDir
    Path dir;

    @Test
    void aSnapshotThatDoesNotReadBackIsRemovedAndTheLogIsNotPurged() throws IOException {
        DamagingFileIO io = new DamagingFileIO();
        RandomGraphWorkload workload = new RandomGraphWorkload(11);
        String live;
        try (GraphDatabase db = GraphDatabase.open(config(io))) {
            for (int i = 0; i < 300; i++) {
                workload.step(db);
            }
            long firstLsn = db.wal().firstLsn();
            int segments = db.wal().status().segmentCount();
            assertThat(segments).as("enough log for a purge to matter").isGreaterThan(1);

            io.damageSnapshots = true;
            assertThatThrownBy(db::checkpoint).isInstanceOf(WalException.class)
                    .hasMessageContaining("does not read back").hasMessageContaining("the log was not purged");
            assertThat(SnapshotFiles.list(FileIO.standard(), dir)).as("the unreadable snapshot is gone").isEmpty();
            assertThat(db.wal().firstLsn()).isEqualTo(firstLsn);
            assertThat(db.wal().status().segmentCount()).isEqualTo(segments);

            io.damageSnapshots = false;
            assertThat(db.checkpoint().segmentsPurged()).as("a sound snapshot lets the log go").isPositive();
            live = db.read(workload::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(config(FileIO.standard()))) {
            assertThat(db.read(workload::dump)).isEqualTo(live);
        }
    }

    @Test
    void withoutTheSoundSnapshotTheNextStartRebuildsFromTheLog() {
        DamagingFileIO io = new DamagingFileIO();
        RandomGraphWorkload workload = new RandomGraphWorkload(12);
        String live;
        try (GraphDatabase db = GraphDatabase.open(config(io))) {
            for (int i = 0; i < 300; i++) {
                workload.step(db);
            }
            io.damageSnapshots = true;
            assertThatThrownBy(db::checkpoint).isInstanceOf(WalException.class);
            live = db.read(workload::dump);
        }
        try (GraphDatabase db = GraphDatabase.open(config(FileIO.standard()))) {
            assertThat(db.lastReplay().snapshotLsn()).isZero();
            assertThat(db.read(workload::dump)).isEqualTo(live);
        }
    }

    private DatabaseConfig config(FileIO io) {
        return new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.GROUP).segmentSize(16 * 1024)
                .maxRecordSize(4096).fileIO(io).build(), 0, 1);
    }

    /** Flips one byte of the first write to each temporary snapshot file while {@link #damageSnapshots} is set. */
    private static final class DamagingFileIO extends ForwardingFileIO {
        volatile boolean damageSnapshots;

        DamagingFileIO() {
            super(FileIO.standard());
        }

        @Override
        protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
            if (!damageSnapshots || !path.getFileName().toString().endsWith(".snap.tmp")) {
                return handle;
            }
            return new ForwardingHandle(handle) {
                private boolean damaged;

                @Override
                public void write(ByteBuffer source, long position) throws IOException {
                    if (!damaged && source.remaining() > 64) {
                        damaged = true;
                        ByteBuffer copy = ByteBuffer.allocate(source.remaining());
                        copy.put(source.duplicate()).flip();
                        int at = copy.limit() / 2;
                        copy.put(at, (byte) (copy.get(at) ^ 0x5A));
                        source.position(source.limit());
                        delegate.write(copy, position);
                        return;
                    }
                    delegate.write(source, position);
                }
            };
        }
    }
}
