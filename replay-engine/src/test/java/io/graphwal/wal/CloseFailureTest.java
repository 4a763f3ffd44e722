package io.graphwal.wal;

import static io.graphwal.wal.WalFixtures.TYPE;
import static io.graphwal.wal.WalFixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;

/** A close whose segment file fails to close, even with an unchecked exception, still releases the lock. */
class CloseFailureTest {

    @TempDir
    Path dir;

    @Test
    void anUncheckedFailureClosingTheSegmentStillReleasesTheDirectoryLock() {
        FileIO failingClose = new ForwardingFileIO(FileIO.standard()) {
            @Override
            protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
                if (!path.getFileName().toString().endsWith(".wal") || mode == OpenMode.READ) {
                    return handle;
                }
                return new ForwardingHandle(handle) {
                    @Override
                    public void close() throws IOException {
                        delegate.close();
                        throw new IllegalStateException("injected failure closing " + path.getFileName());
                    }
                };
            }
        };
        WriteAheadLog wal = WriteAheadLog.open(WalFixtures.config(dir).fileIO(failingClose).build());
        wal.append(TYPE, payload("kept"));

        assertThatThrownBy(wal::close).isInstanceOf(WalException.class).hasMessageContaining("injected failure");

        try (WriteAheadLog reopened = WriteAheadLog.open(WalFixtures.config(dir).build())) {
            assertThat(WalFixtures.readAll(reopened, 1)).containsExactly("1:kept");
        }
    }
}
