package io.graphwal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.replay.DatabaseConfig;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.SyncMode;
import io.graphwal.wal.WalConfig;

/**
 * Part of the security suite: the graph's data is readable by its owner only. Where the file system has
 * POSIX permissions, the directories GraphWAL creates (the data directory and any missing parents) are
 * {@code rwx------} and every file in it (segments, snapshots, the lock file) is {@code rw-------}, even
 * where the process's umask would allow more. Refusing a symbolic link or a non-directory as the data directory is
 * tested in {@code DirectoryLockTest}. The figures go to {@code target/reliability/security.txt}.
 */
class FilePermissionsTest {

    private static final List<String> violations = new ArrayList<>();
    private static int checks;

    @TempDir
    Path root;

    @AfterAll
    static void writeSummary() {
        SuiteSummary.write("security", "checks=" + checks + " violations=" + violations.size());
    }

    @Test
    void theDirectoriesAndEveryFileGraphWalCreatesAreForTheOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "this file system has no POSIX permissions");
        Path parent = root.resolve("created-parent");
        Path dir = parent.resolve("graph");
        DatabaseConfig config = new DatabaseConfig(WalConfig.builder(dir).syncMode(SyncMode.PER_COMMIT)
                .segmentSize(400).maxRecordSize(200).build(), 0, 2);
        try (GraphDatabase db = GraphDatabase.open(config)) {
            for (int i = 0; i < 6; i++) {
                db.commit(t -> t.createNode(List.of("Secret"), Map.of("value", "x".repeat(120))));
            }
            db.checkpoint();
            expect(parent, "rwx------");
            expect(dir, "rwx------");
            List<String> kinds = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    kinds.add(name.endsWith(".wal") ? "segment" : name.endsWith(".snap") ? "snapshot" : name);
                    expect(file, "rw-------");
                }
            }
            assertThat(kinds).contains("segment", "snapshot", "graphwal.lock");
        }
        assertThat(violations).isEmpty();
    }

    private static void expect(Path path, String permissions) throws IOException {
        checks++;
        String actual = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        if (!actual.equals(permissions)) {
            violations.add(path.getFileName() + " is " + actual + ", expected " + permissions);
        }
    }
}
