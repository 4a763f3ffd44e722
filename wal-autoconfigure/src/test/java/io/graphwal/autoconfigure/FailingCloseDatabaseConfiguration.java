package io.graphwal.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.io.FileHandle;
import io.graphwal.io.FileIO;
import io.graphwal.io.ForwardingFileIO;
import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * A user-defined {@link GraphDatabase} in {@code none} mode, whose file layer can be made to throw an
 * {@link IllegalStateException} from every fsync. In that mode closing fsyncs what was written, so once armed,
 * closing the database (or flushing it) fails; the log is poisoned, and the files and the lock are released.
 */
@Configuration(proxyBeanMethods = false)
public class FailingCloseDatabaseConfiguration {

    @Bean
    FailingFsync failingFsync() {
        return new FailingFsync();
    }

    @Bean(destroyMethod = "close")
    GraphDatabase graphDatabase(FailingFsync fileIO, @Value("${graphwal.directory}") String directory) {
        return GraphDatabase.open(DatabaseConfig.of(WalConfig.builder(Path.of(directory))
            .syncMode(SyncMode.NONE)
            .fileIO(fileIO)
            .build()));
    }

    /** Forwards to the standard layer until {@link #arm()}, then throws from every fsync. */
    public static final class FailingFsync extends ForwardingFileIO {

        private final AtomicBoolean armed = new AtomicBoolean();

        FailingFsync() {
            super(FileIO.standard());
        }

        /** Makes every later fsync throw. */
        public void arm() {
            armed.set(true);
        }

        @Override
        protected FileHandle wrap(Path path, OpenMode mode, FileHandle handle) {
            return new ForwardingHandle(handle) {
                @Override
                public void force() throws IOException {
                    if (armed.get()) {
                        throw new IllegalStateException("injected: LSN 2 was awaited before it was appended");
                    }
                    delegate.force();
                }
            };
        }
    }
}
