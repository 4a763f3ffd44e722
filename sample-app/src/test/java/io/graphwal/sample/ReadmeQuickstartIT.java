package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README as a newcomer follows it: its first command names the jar this build made, and the shell
 * commands of its quickstart (between the {@code QUICKSTART} markers) run as written against the real jar:
 * each {@code curl} is sent with its method, path and body and must answer the status its trailing comment
 * gives, and a body holding, in order, every piece of the JSON shown after the status between the
 * {@code ...} that abbreviate it; {@code kill -9 $(cat data/sample-app.pid)} must name the running app and
 * kills it; {@code java -jar} starts it again. Any other command in the quickstart fails the test, so the
 * README cannot drift. {@link Readme} reads the commands and the curl calls.
 */
class ReadmeQuickstartIT {

    private static final String RUN_PREFIX = "mvn -B -ntp -DskipTests package && ";
    private static final String KILL = "kill -9 $(cat data/sample-app.pid)";

    @TempDir
    Path workDir;

    private SampleAppProcess app;

    @AfterEach
    void killTheChild() {
        if (app != null) {
            app.close();
        }
    }

    /** The {@code java -jar ...} part of the README's first command. */
    private static String startCommand() throws IOException {
        List<String> lines = Readme.lines();
        String run = lines.stream().filter(line -> line.startsWith(RUN_PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("README has no line starting with '" + RUN_PREFIX + "'"));
        assertThat(lines.indexOf(run)).as("the run command is near the top").isLessThan(40);
        assertThat(lines.indexOf("mvn -B -ntp verify")).as("the test command is near the top").isBetween(0, 40);
        return run.substring(RUN_PREFIX.length());
    }

    @Test
    void theFirstCommandStartsTheJarThisBuildMade() throws IOException {
        String start = startCommand();
        assertThat(start).startsWith("java -jar ");
        Path jar = Readme.resolve(start.substring("java -jar ".length()).trim());
        assertThat(jar).exists();
        assertThat(Files.isSameFile(jar, SampleAppProcess.jar())).isTrue();
    }

    @Test
    void theQuickstartRunsAsWrittenAndItsDataSurvivesKillMinus9() throws IOException {
        String start = startCommand();
        List<String> commands = Readme.commands("QUICKSTART");
        assertThat(commands).as("quickstart commands").anyMatch(c -> c.startsWith("curl"))
                .contains(KILL, start);
        // The quickstart begins with the app running, started by the README's first command.
        app = SampleAppProcess.start(workDir);
        int curls = 0;
        for (String command : commands) {
            if (command.startsWith("curl ")) {
                assertThat(app).as("the app is running for: %s", command).isNotNull();
                Readme.Curl curl = Readme.Curl.parse(command);
                assertThat(curl.port()).as("the port the README starts the sample on: %s", command).isEqualTo(8080);
                curl.check(app.http());
                curls++;
            } else if (command.equals(KILL)) {
                Path pidFile = workDir.resolve("data/sample-app.pid");
                assertThat(Files.readString(pidFile).trim()).as("the pid file names the app").isEqualTo(
                        Long.toString(app.pid()));
                app.killHard();
                app = null;
            } else if (command.equals(start)) {
                assertThat(app).as("the app was stopped before: %s", command).isNull();
                app = SampleAppProcess.start(workDir);
            } else {
                fail("The quickstart holds a command this test cannot check: " + command);
            }
        }
        assertThat(curls).isGreaterThan(10);
    }
}
