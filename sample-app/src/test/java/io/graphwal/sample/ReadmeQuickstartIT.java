package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * README cannot drift.
 */
class ReadmeQuickstartIT {

    private static final String START = "<!-- QUICKSTART-START -->";
    private static final String END = "<!-- QUICKSTART-END -->";
    private static final String RUN_PREFIX = "mvn -B -ntp -DskipTests package && ";
    private static final String KILL = "kill -9 $(cat data/sample-app.pid)";
    private static final Pattern STATUS = Pattern.compile("^(\\d{3})\\b");

    @TempDir
    Path workDir;

    private SampleAppProcess app;

    @AfterEach
    void killTheChild() {
        if (app != null) {
            app.close();
        }
    }

    private static Path readme() {
        String path = System.getProperty("sample.readme");
        assertThat(path).as("system property sample.readme (set by failsafe)").isNotNull();
        return Path.of(path);
    }

    private static List<String> readmeLines() throws IOException {
        return Files.readAllLines(readme(), StandardCharsets.UTF_8);
    }

    /** The {@code java -jar ...} part of the README's first command. */
    private static String startCommand() throws IOException {
        List<String> lines = readmeLines();
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
        Path jar = readme().toAbsolutePath().getParent().resolve(start.substring("java -jar ".length()).trim());
        assertThat(jar).exists();
        assertThat(Files.isSameFile(jar, SampleAppProcess.jar())).isTrue();
    }

    @Test
    void theQuickstartRunsAsWrittenAndItsDataSurvivesKillMinus9() throws IOException {
        String start = startCommand();
        List<String> commands = quickstartCommands();
        assertThat(commands).as("quickstart commands").anyMatch(c -> c.startsWith("curl"))
                .contains(KILL, start);
        // The quickstart begins with the app running, started by the README's first command.
        app = SampleAppProcess.start(workDir);
        int curls = 0;
        for (String command : commands) {
            if (command.startsWith("curl ")) {
                assertThat(app).as("the app is running for: %s", command).isNotNull();
                curl(command);
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

    private void curl(String command) {
        Curl curl = Curl.parse(command);
        Http.Response response = app.http().send(curl.method, curl.path, curl.body);
        assertThat(response.status()).as("%s\nanswered %s", command, response).isEqualTo(curl.status);
        int from = 0;
        for (String piece : curl.shape.split("\\.\\.\\.")) {
            int at = response.body().indexOf(piece, from);
            assertThat(at).as("%s\nanswered %s\nwhich lacks '%s' where the README shows it", command,
                    response.body(), piece).isNotNegative();
            from = at + piece.length();
        }
    }

    /** The commands in the fenced code blocks between the markers, continuation lines joined, comments dropped. */
    private static List<String> quickstartCommands() throws IOException {
        List<String> lines = readmeLines();
        int from = lines.indexOf(START);
        int to = lines.indexOf(END);
        assertThat(from).as("README marker " + START).isNotNegative();
        assertThat(to).as("README marker " + END).isGreaterThan(from);
        List<String> commands = new ArrayList<>();
        boolean fenced = false;
        StringBuilder pending = new StringBuilder();
        for (String line : lines.subList(from + 1, to)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String command = pending.toString().strip();
            pending.setLength(0);
            if (!command.isEmpty() && !command.startsWith("#")) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** The parts of a curl command line that this test executes. */
    private static final class Curl {

        String method;
        String path;
        String body;
        boolean json;
        int status;
        String shape;

        static Curl parse(String command) {
            List<String> words = new ArrayList<>();
            String comment = split(command, words);
            Curl curl = new Curl();
            for (int i = 1; i < words.size(); i++) {
                String word = words.get(i);
                switch (word) {
                    case "-s", "-i", "-S", "-sS":
                        break;
                    case "-X":
                        curl.method = words.get(++i);
                        break;
                    case "-H":
                        curl.json |= words.get(++i).equalsIgnoreCase("Content-Type: application/json");
                        break;
                    case "-d":
                        curl.body = words.get(++i);
                        break;
                    default:
                        if (word.startsWith("-")) {
                            fail("Unsupported curl option " + word + " in: " + command);
                        }
                        assertThat(curl.path).as("one URL in: %s", command).isNull();
                        String url = word.startsWith("http://") ? word.substring("http://".length()) : word;
                        assertThat(url).as("URL in: %s", command).startsWith("localhost:8080/");
                        curl.path = url.substring("localhost:8080".length());
                }
            }
            assertThat(curl.path).as("URL in: %s", command).isNotNull();
            if (curl.body != null) {
                assertThat(curl.json).as("a JSON body needs -H 'Content-Type: application/json' (curl sends form "
                        + "data otherwise): %s", command).isTrue();
            }
            if (curl.method == null) {
                curl.method = curl.body == null ? "GET" : "POST";
            }
            Matcher status = STATUS.matcher(comment == null ? "" : comment.strip());
            if (!status.find()) {
                fail("A quickstart curl must end with a comment giving the expected status, e.g. '# 201': " + command);
            }
            curl.status = Integer.parseInt(status.group(1));
            curl.shape = comment.strip().substring(status.end()).strip();
            assertThat(curl.shape).as("the answer shown after the status, e.g. '# 200 {\"id\":0,...}': %s", command)
                    .matches("[\\[{].*");
            return curl;
        }

        /** Splits a shell line into words as a POSIX shell quotes them; returns the trailing comment, if any. */
        private static String split(String line, List<String> words) {
            StringBuilder word = new StringBuilder();
            boolean inWord = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\'') {
                    int close = line.indexOf('\'', i + 1);
                    assertThat(close).as("closing quote in: %s", line).isPositive();
                    word.append(line, i + 1, close);
                    i = close;
                    inWord = true;
                } else if (c == '"') {
                    for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                        if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                            i++;
                        }
                        word.append(line.charAt(i));
                    }
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else if (c == '#' && !inWord) {
                    return line.substring(i + 1);
                } else {
                    if (c == '\\' && i + 1 < line.length()) {
                        c = line.charAt(++i);
                    }
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return null;
        }
    }
}
