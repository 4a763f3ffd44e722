package io.graphwal.benchmarks;

import java.nio.file.Path;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * What the benchmarks that time {@link GraphDatabase#open} share: a trial directory prepared once in
 * {@code NONE} mode with automatic checkpoints off, one open per invocation closed after it, and the directory
 * deleted after the trial. Subclasses fill the directory in their trial setup.
 */
public abstract class DatabaseOpenState {

    /** The trial's directory, set by {@link #prepare}. */
    protected Path directory;

    /** How every open of the trial's directory is configured. */
    protected DatabaseConfig config;

    private GraphDatabase opened;

    /**
     * Creates a fresh trial directory and its configuration.
     *
     * @param name a prefix naming the benchmark in the directory's name
     * @param snapshotRetain snapshots kept by checkpoints during setup
     */
    protected void prepare(String name, int snapshotRetain) {
        directory = TrialFiles.freshDirectory(name);
        config = new DatabaseConfig(WalConfig.builder(directory).syncMode(SyncMode.NONE).build(), 0,
                snapshotRetain);
    }

    /**
     * Opens the trial's directory, left open until the invocation's teardown.
     *
     * @return the relationships opened, so the work cannot be optimised away
     */
    protected long open() {
        opened = GraphDatabase.open(config);
        return opened.read(view -> view.relationshipCount());
    }

    /** Closes the database opened by the invocation. */
    @TearDown(Level.Invocation)
    public void closeOpened() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    /** Deletes the trial's files. */
    @TearDown(Level.Trial)
    public void delete() {
        TrialFiles.delete(directory);
    }
}
