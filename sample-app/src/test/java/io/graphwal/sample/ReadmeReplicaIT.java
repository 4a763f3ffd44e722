package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.graphwal.kafka.LocalKafkaBroker;

/**
 * The README's replica section (between the {@code REPLICA} markers) run as written, as {@link ReadmeArchiveIT}
 * runs the archive's: a leader publishes to a local broker and a replica follows it. The commands it knows, and
 * what each does here:
 * <ul>
 * <li>the broker's {@code mvn ... exec:java}: starts {@link LocalKafkaBroker}, the class that command runs, in
 * this JVM on a port the system picks; every app started later is given that broker (the README's apps use
 * Spring Boot's default, localhost:9092);</li>
 * <li>{@code java -jar} on the jar this build made, followed by {@code --key=value} properties: starts an app
 * with them, except {@code --server.port=N}, which names the README port (8080 without it) that the later
 * {@code curl} calls use for this app, which itself listens where the system lets it;</li>
 * <li>{@code curl}: sent to the app the README port names and checked as in the quickstart, except that a GET
 * is repeated (within a bound of a minute) until it answers as shown: the replica applies the leader's
 * transactions on its own thread, and the README says to repeat a read that is still behind.</li>
 * </ul>
 * Any other command fails the test. Everything lives in a temporary directory and this JVM's broker; the apps
 * and the broker are stopped after the test whatever happened.
 */
class ReadmeReplicaIT {

    private static final String BROKER = "mvn -B -ntp -q -pl wal-kafka -am test-compile exec:java";
    private static final String PORT = "--server.port=";
    private static final String REPLICA = "--graphwal.replica.enabled=true";
    private static final String PUBLISH = "--graphwal.kafka.publish=true";
    private static final Duration CATCH_UP_BOUND = Duration.ofMinutes(1);

    @TempDir
    Path workDir;

    private LocalKafkaBroker broker;
    /** The apps by the port the README gives them, in the order started. */
    private final Map<Integer, SampleAppProcess> apps = new LinkedHashMap<>();
    private final List<Integer> replicaPorts = new ArrayList<>();

    @AfterEach
    void stopTheAppsAndTheBroker() {
        try {
            List<SampleAppProcess> started = new ArrayList<>(apps.values());
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void aLeaderPublishesToALocalBrokerAndAReplicaFollowsItAndRefusesWrites() throws Exception {
        List<String> commands = Readme.commands("REPLICA");
        assertThat(commands).as("replica commands").first().isEqualTo(BROKER);
        int replicaReads = 0;
        boolean refused = false;
        for (String command : commands) {
            if (command.equals(BROKER)) {
                assertThat(broker).as("one broker").isNull();
                broker = LocalKafkaBroker.start(0);
            } else if (command.startsWith("java -jar ")) {
                start(command);
            } else if (command.startsWith("curl ")) {
                Readme.Curl curl = Readme.Curl.parse(command);
                curl(command, curl);
                boolean onReplica = replicaPorts.contains(curl.port());
                replicaReads += onReplica && curl.method().equals("GET") ? 1 : 0;
                refused |= onReplica && !curl.method().equals("GET");
            } else {
                fail("The replica section holds a command this test cannot check: " + command);
            }
        }
        assertThat(apps.keySet()).as("a leader and a replica").hasSize(2);
        assertThat(replicaReads).as("reads from the replica").isPositive();
        assertThat(refused).as("a write sent to the replica (which the README shows refused)").isTrue();
    }

    private void start(String command) throws IOException {
        assertThat(broker).as("the broker runs before: %s", command).isNotNull();
        int port = 8080;
        List<String> args = new ArrayList<>();
        for (String arg : Readme.jarProperties(command)) {
            if (arg.startsWith(PORT)) {
                port = Integer.parseInt(arg.substring(PORT.length()));
            } else {
                args.add(arg);
            }
        }
        assertThat(apps).as("one app per port: %s", command).doesNotContainKey(port);
        assertThat(args).as("%s publishes or follows", command).containsAnyOf(PUBLISH, REPLICA);
        if (args.contains(REPLICA)) {
            replicaPorts.add(port);
        }
        args.add("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers());
        apps.put(port, SampleAppProcess.start(workDir, Map.of(), List.of(), args.toArray(String[]::new)));
    }

    private void curl(String command, Readme.Curl curl) throws InterruptedException {
        SampleAppProcess app = apps.get(curl.port());
        assertThat(app).as("an app runs on the port of: %s", command).isNotNull();
        curl.checkEventually(app.http(), CATCH_UP_BOUND);
    }
}
