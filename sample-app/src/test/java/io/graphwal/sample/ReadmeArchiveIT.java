package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

import io.graphwal.archive.s3.LocalS3Store;
import io.graphwal.archive.s3.TestStore;

/**
 * The README's archive section (between the {@code ARCHIVE} markers) run as written, as
 * {@link ReadmeQuickstartIT} runs the quickstart: the sample archives to a local S3-compatible store, loses its
 * directory, and comes back from the store. The commands it knows, and what each does here:
 * <ul>
 * <li>the store's {@code mvn ... exec:java}: starts {@link LocalS3Store}, the class that command runs, in this
 * JVM on a port the system picks; the README's endpoint ({@code http://127.0.0.1:9000}) is sent there, as its
 * port 8080 is sent to wherever the app listens;</li>
 * <li>{@code export NAME=VALUE ...}: sets those variables for every later {@code java -jar}; they must be the
 * store's credentials;</li>
 * <li>{@code java -jar} on the jar this build made, followed by {@code --key=value} properties: starts the
 * app with them;</li>
 * <li>{@code curl}: sent and checked as in the quickstart, except that a GET is repeated (within a bound of a
 * minute) until it answers as shown: the archive catches up on its own thread, at most {@code max-lag}
 * behind, and the README says to repeat the call until it has;</li>
 * <li>{@code kill $(cat data/sample-app.pid)}: must name the running app, which gets SIGTERM and is awaited;</li>
 * <li>{@code rm -rf DIR}: DIR must be the graph directory of the app just stopped; it is deleted.</li>
 * </ul>
 * Any other command fails the test. Everything lives in a temporary directory and this JVM's store, and the
 * app and the store are stopped after the test whatever happened.
 */
class ReadmeArchiveIT {

    private static final String STORE = "mvn -B -ntp -q -pl wal-archive-s3 -am test-compile exec:java";
    private static final String STOP = "kill $(cat data/sample-app.pid)";
    private static final String ENDPOINT = "--graphwal.archive.s3.endpoint=";
    private static final String README_ENDPOINT = ENDPOINT + "http://127.0.0.1:" + LocalS3Store.DEFAULT_PORT;
    private static final String DIRECTORY = "--graphwal.directory=";
    private static final String RESTORE = "--graphwal.archive.restore-if-empty=true";
    private static final Duration CATCH_UP_BOUND = Duration.ofMinutes(1);

    @TempDir
    Path workDir;

    private LocalS3Store store;
    private SampleAppProcess app;
    private final Map<String, String> environment = new HashMap<>();
    /** The graph directory of the app started last. */
    private Path graphDirectory;
    private boolean deleted;
    private boolean restored;

    @AfterEach
    void stopTheAppAndTheStore() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    @Test
    void theSampleArchivesToALocalStoreAndComesBackFromItOnAnEmptyDirectory() throws Exception {
        List<String> commands = Readme.commands("ARCHIVE");
        assertThat(commands).as("archive commands").first().isEqualTo(STORE);
        int curlsAfterRestore = 0;
        for (String command : commands) {
            if (command.equals(STORE)) {
                assertThat(store).as("one store").isNull();
                store = LocalS3Store.start(0);
            } else if (command.startsWith("export ")) {
                export(command);
            } else if (command.startsWith("java -jar ")) {
                start(command);
            } else if (command.startsWith("curl ")) {
                curl(command);
                curlsAfterRestore += restored ? 1 : 0;
            } else if (command.equals(STOP)) {
                stop();
            } else if (command.startsWith("rm -rf ")) {
                delete(command);
            } else {
                fail("The archive section holds a command this test cannot check: " + command);
            }
        }
        assertThat(restored).as("the section starts the app with %s on the directory it deleted", RESTORE).isTrue();
        assertThat(curlsAfterRestore).as("calls that read the restored graph").isPositive();
    }

    private void export(String command) {
        List<String> words = Readme.words(command);
        for (String assignment : words.subList(1, words.size())) {
            int equals = assignment.indexOf('=');
            assertThat(equals).as("NAME=VALUE in: %s", command).isPositive();
            environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
        assertThat(environment).as("the store's credentials, for the AWS SDK's default chain: %s", command)
                .containsEntry("AWS_ACCESS_KEY_ID", TestStore.ACCESS_KEY)
                .containsEntry("AWS_SECRET_ACCESS_KEY", TestStore.SECRET_KEY);
    }

    private void start(String command) throws IOException {
        assertThat(app).as("the app was stopped before: %s", command).isNull();
        assertThat(store).as("the store runs before: %s", command).isNotNull();
        List<String> args = new ArrayList<>();
        graphDirectory = workDir.resolve("data/graphwal");
        for (String arg : Readme.jarProperties(command)) {
            if (arg.startsWith(ENDPOINT)) {
                assertThat(arg).as("the store's endpoint in: %s", command).isEqualTo(README_ENDPOINT);
                arg = ENDPOINT + store.endpoint();
            } else if (arg.startsWith(DIRECTORY)) {
                graphDirectory = workDir.resolve(arg.substring(DIRECTORY.length())).normalize();
            }
            args.add(arg);
        }
        assertThat(args).as("%s archives to the store", command).contains(ENDPOINT + store.endpoint());
        if (args.contains(RESTORE)) {
            assertThat(deleted).as("the graph's directory was deleted before: %s", command).isTrue();
            assertThat(graphDirectory).as("%s starts on an empty directory", command).doesNotExist();
            restored = true;
        }
        app = SampleAppProcess.start(workDir, environment, List.of(), args.toArray(String[]::new));
    }

    private void curl(String command) throws InterruptedException {
        assertThat(app).as("the app is running for: %s", command).isNotNull();
        Readme.Curl curl = Readme.Curl.parse(command);
        assertThat(curl.port()).as("the port the README starts the sample on: %s", command).isEqualTo(8080);
        curl.checkEventually(app.http(), CATCH_UP_BOUND);
    }

    private void stop() throws IOException {
        assertThat(app).as("the app is running for: %s", STOP).isNotNull();
        Path pidFile = workDir.resolve("data/sample-app.pid");
        assertThat(Files.readString(pidFile).trim()).as("the pid file names the app").isEqualTo(
                Long.toString(app.pid()));
        app.stop();
        app = null;
    }

    private void delete(String command) throws IOException {
        assertThat(app).as("the app was stopped before: %s", command).isNull();
        List<String> words = Readme.words(command);
        assertThat(words).as("one directory in: %s", command).hasSize(3);
        Path directory = workDir.resolve(words.get(2)).normalize();
        assertThat(directory).as("%s deletes the directory of the graph just stopped", command)
                .isEqualTo(graphDirectory).isDirectory();
        FileSystemUtils.deleteRecursively(directory);
        deleted = true;
    }
}
