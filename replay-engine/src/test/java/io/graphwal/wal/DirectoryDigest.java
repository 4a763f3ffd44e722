package io.graphwal.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SHA-256 of every file in a directory, by name, for tests that assert that a refused open changed
 * nothing. The lock file is left out: every opener that takes the lock writes its own description into it,
 * which is not part of the log. Public so tests of other packages can use it.
 */
public final class DirectoryDigest {

    private DirectoryDigest() {
    }

    /**
     * Digests every regular file directly in {@code dir} but the lock file.
     *
     * @param dir the directory
     * @return file name to hex SHA-256, sorted by name
     */
    public static Map<String, String> of(Path dir) {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(DirectoryLock.FILE_NAME)) {
                    digests.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(file))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return digests;
    }
}
