package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForceGate;
import io.graphwal.io.ForwardingFileIO;

/**
 * A flush that arrives while an append is between getting its LSN and publishing it as appended (inside the
 * write of its record) covers what is appended and returns, in every sync mode; it used to fail with "LSN N
 * was awaited before it was appended". The append is held inside its write by a gate, so the interleaving is
 * forced rather than hoped for.
 */
class FlushRaceTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void aFlushDuringAnAppendsWriteCoversWhatIsAppendedAndTheAppendCompletes(SyncMode mode) throws Exception {
        WriteGatingFileIO io = new WriteGatingFileIO();
        try (WriteAheadLog wal = WriteAheadLog.open(WalFixtures.config(dir).syncMode(mode).fileIO(io).build())) {
            long first = wal.append(TYPE, payload("first"));
            wal.flush();

            io.gate.close();
            CompletableFuture<Long> held = CompletableFuture.supplyAsync(() -> wal.write(TYPE, payload("held")));
            if (mode != SyncMode.PER_COMMIT) {
                // In per-commit mode the append only batches; the flush below leads the write and meets the gate.
                Await.until("the append is held inside its write", () -> io.gate.waiting() == 1);
                assertThat(wal.assignedLsn()).isEqualTo(first + 1);
                assertThat(wal.appendedLsn()).isEqualTo(first);
                assertThat(wal.flush()).as("the flush covers what is appended").isEqualTo(first);
                io.gate.open();
            } else {
                long lsn = held.get(30, TimeUnit.SECONDS);
                CompletableFuture<Long> flush = CompletableFuture.supplyAsync(wal::flush);
                Await.until("the flush's leader is held inside its write", () -> io.gate.waiting() == 1);
                io.gate.open();
                assertThat(flush.get(30, TimeUnit.SECONDS)).as("the flush covers the batched append").isEqualTo(lsn);
            }
            long second = held.get(30, TimeUnit.SECONDS);
            assertThat(second).isEqualTo(first + 1);
            assertThat(wal.flush()).isEqualTo(second);
            assertThat(WalFixtures.readAll(wal, 1)).containsExactly(first + ":first", second + ":held");
        }
    }

    /** Holds every write to a segment file at a gate while the gate is closed. */
    private static final class WriteGatingFileIO extends ForwardingFileIO {
        final ForceGate gate = new ForceGate();

        WriteGatingFileIO() {
            super(FileIO.standard());
        }

        @Override
        protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
            if (!path.getFileName().toString().endsWith(".wal")) {
                return handle;
            }
            return new ForwardingHandle(handle) {
                @Override
                public void write(ByteBuffer source, long position) throws IOException {
                    gate.pass();
                    delegate.write(source, position);
                }
            };
        }
    }
}
