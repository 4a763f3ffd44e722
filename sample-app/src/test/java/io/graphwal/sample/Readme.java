package io.graphwal.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README as the tests that run it read it: the shell commands of a section (the fenced code blocks between
 * {@code <!-- NAME-START -->} and {@code <!-- NAME-END -->}), their words as a POSIX shell splits them, and the
 * {@code curl} calls among them with the answer each one's trailing comment promises. One reading serves every
 * such test, so that the sections cannot come to mean different things.
 */
final class Readme {

    private Readme() {
    }

    /** The README failsafe names. */
    static Path file() {
        String path = System.getProperty("sample.readme");
        assertThat(path).as("system property sample.readme (set by failsafe)").isNotNull();
        return Path.of(path);
    }

    static List<String> lines() throws IOException {
        return Files.readAllLines(file(), StandardCharsets.UTF_8);
    }

    /** A path as a command run from the repository root, where the README says to run them, names it. */
    static Path resolve(String relative) {
        return file().toAbsolutePath().getParent().resolve(relative);
    }

    /**
     * The commands of a section: continuation lines joined, comment lines dropped, trailing comments kept.
     *
     * @param section the markers' name, e.g. {@code QUICKSTART}
     * @return the commands in order
     * @throws IOException if the README cannot be read
     */
    static List<String> commands(String section) throws IOException {
        String start = "<!-- " + section + "-START -->";
        String end = "<!-- " + section + "-END -->";
        List<String> lines = lines();
        int from = lines.indexOf(start);
        int to = lines.indexOf(end);
        assertThat(from).as("README marker " + start).isNotNegative();
        assertThat(to).as("README marker " + end).isGreaterThan(from);
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

    /** The words of a command line, its trailing comment left out. */
    /**
     * The {@code --key=value} properties of a README {@code java -jar} command, after checking that it starts
     * the jar this build made.
     *
     * @param command the command
     * @return its properties, in order
     * @throws IOException if the jar's path cannot be compared
     */
    static List<String> jarProperties(String command) throws IOException {
        List<String> words = words(command);
        assertThat(words).as("a jar in: %s", command).hasSizeGreaterThan(2);
        assertThat(Files.isSameFile(resolve(words.get(2)), SampleAppProcess.jar()))
                .as("%s starts the jar this build made", command).isTrue();
        List<String> properties = words.subList(3, words.size());
        for (String property : properties) {
            assertThat(property).as("a --key=value property in: %s", command).startsWith("--").contains("=");
        }
        return properties;
    }

    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        split(command, words);
        return words;
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

    /**
     * A README {@code curl} call: what it sends to a sample on {@code localhost:PORT} (sent to wherever the app
     * under test that the README runs on that port listens), and the status and body its trailing comment shows: {@code # 201 {"id":0,...}},
     * where the body must hold, in order, every piece between the {@code ...} that abbreviate it.
     */
    static final class Curl {

        private static final Pattern STATUS = Pattern.compile("^(\\d{3})\\b");
        private static final Pattern LOCAL_URL = Pattern.compile("localhost:(\\d+)(/.*)");

        private final String command;
        private String method;
        private int port;
        private String path;
        private String body;
        private boolean json;
        private int status;
        private String shape;

        private Curl(String command) {
            this.command = command;
        }

        static Curl parse(String command) {
            List<String> words = new ArrayList<>();
            String comment = split(command, words);
            Curl curl = new Curl(command);
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
                        Matcher local = LOCAL_URL.matcher(url);
                        assertThat(local.matches()).as("a localhost:PORT/ URL in: %s", command).isTrue();
                        curl.port = Integer.parseInt(local.group(1));
                        curl.path = local.group(2);
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
                fail("A README curl must end with a comment giving the expected status, e.g. '# 201': " + command);
            }
            curl.status = Integer.parseInt(status.group(1));
            curl.shape = comment.strip().substring(status.end()).strip();
            assertThat(curl.shape).as("the answer shown after the status, e.g. '# 200 {\"id\":0,...}': %s", command)
                    .matches("[\\[{].*");
            return curl;
        }

        String method() {
            return method;
        }

        /** The port the README sends the call to: 8080 for the sample as the README starts it first. */
        int port() {
            return port;
        }

        Http.Response send(Http http) {
            return http.send(method, path, body);
        }

        /**
         * Sends the call and fails unless it answers as the README shows; a GET is asked again (a read changes
         * nothing, so that is what a reader does) until it answers so or {@code bound} has passed, for a
         * README that says to repeat a read until a background thread has caught up.
         */
        void checkEventually(Http http, Duration bound) throws InterruptedException {
            String mismatch = mismatch(send(http));
            long deadline = System.nanoTime() + bound.toNanos();
            while (mismatch != null && method.equals("GET") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                mismatch = mismatch(send(http));
            }
            if (mismatch != null) {
                fail(mismatch);
            }
        }

        /** Sends the call and fails unless it answers as the README shows. */
        void check(Http http) {
            String mismatch = mismatch(send(http));
            if (mismatch != null) {
                fail(mismatch);
            }
        }

        /**
         * How an answer differs from what the README shows.
         *
         * @param response the answer
         * @return null if it is as shown, else what is wrong with it
         */
        String mismatch(Http.Response response) {
            if (response.status() != status) {
                return command + "\nanswered " + response + "\ninstead of status " + status;
            }
            int from = 0;
            for (String piece : shape.split("\\.\\.\\.")) {
                int at = response.body().indexOf(piece, from);
                if (at < 0) {
                    return command + "\nanswered " + response.body() + "\nwhich lacks '" + piece
                            + "' where the README shows it";
                }
                from = at + piece.length();
            }
            return null;
        }
    }
}
