package io.graphwal.tool;

import static io.graphwal.tool.ToolFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import io.graphwal.tool.ToolFixture.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A command line the tool cannot run prints what is wrong and the usage text, and exits with code 2. */
class UsageTest {

    @TempDir
    Path dir;

    /** Each wrong command line, where {dir} stands for an existing directory, and what the tool says of it. */
    static Stream<Arguments> wrongCommandLines() {
        return Stream.of(
                arguments(new String[] {}, "missing COMMAND"),
                arguments(new String[] {"fsck", "{dir}"}, "unknown command 'fsck'"),
                arguments(new String[] {"verify"}, "missing DIR after verify"),
                arguments(new String[] {"dump", "--from", "3"}, "missing DIR after dump"),
                arguments(new String[] {"stats", "{dir}", "other"}, "unexpected argument 'other'"),
                arguments(new String[] {"verify", "{dir}", "--from", "3"}, "unknown option '--from' for verify"),
                arguments(new String[] {"dump", "{dir}", "--limit", "3"}, "unknown option '--limit' for dump"),
                arguments(new String[] {"dump", "{dir}", "--from"}, "--from needs an LSN"),
                arguments(new String[] {"dump", "{dir}", "--from", "ten"},
                        "--from needs an LSN (a whole number from 1), not 'ten'"),
                arguments(new String[] {"dump", "{dir}", "--to=0"}, "--to needs an LSN (a whole number from 1), not '0'"),
                arguments(new String[] {"dump", "{dir}", "--from", "5", "--to", "3"}, "--from 5 is after --to 3"),
                arguments(new String[] {"dump", "{dir}", "--to", "5", "--to", "6"}, "--to given twice"),
                arguments(new String[] {"verify", "{dir}/missing"}, "{dir}/missing is not a directory"));
    }

    @ParameterizedTest
    @MethodSource("wrongCommandLines")
    void aWrongCommandLineExitsWithTwoAfterSayingWhatIsWrongAndHowToCallTheTool(String[] args, String problem) {
        String[] concrete = Arrays.stream(args).map(arg -> arg.replace("{dir}", dir.toString())).toArray(String[]::new);

        Run result = run(concrete);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("wal: " + problem.replace("{dir}", dir.toString()));
        if (!problem.endsWith("is not a directory")) {
            assertThat(result.err()).endsWith(WalTool.USAGE_TEXT);
        }
    }

    @Test
    void helpPrintsTheUsageTextToStandardOutputAndSucceeds() {
        for (String help : new String[] {"help", "-h", "--help"}) {
            Run result = run(help);

            assertThat(result.exit()).as(help).isZero();
            assertThat(result.out()).as(help).isEqualTo(WalTool.USAGE_TEXT);
            assertThat(result.err()).as(help).isEmpty();
        }
    }

    @Test
    void theUsageTextNamesEveryCommandAndExitCode() {
        assertThat(WalTool.USAGE_TEXT).contains("verify DIR", "dump DIR [--from LSN] [--to LSN]", "stats DIR",
                "0 all well", "1 damage found", "2 usage error");
    }
}
