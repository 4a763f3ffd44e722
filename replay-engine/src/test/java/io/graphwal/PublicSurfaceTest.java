package io.graphwal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each engine package's {@code package-info.java} names, in its "Public types" paragraph, exactly the public
 * top-level types the package has: a type made public without being named there (or named after it stopped
 * being public) fails here, so the list a reader relies on stays true.
 */
class PublicSurfaceTest {

    private static final Path SOURCES = Path.of(System.getProperty("basedir", "."), "src/main/java/io/graphwal");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) (\\w+)",
            Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"archive", "concurrent", "graph", "io", "replay", "snapshot", "tool", "wal"})
    void thePackageInfoNamesEveryPublicTypeAndNoOther(String name) throws IOException {
        Path packageDirectory = SOURCES.resolve(name);
        Set<String> publicTypes = new TreeSet<>();
        try (Stream<Path> files = Files.list(packageDirectory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".java") && !file.endsWith("package-info.java")) {
                    Matcher matcher = PUBLIC_TYPE.matcher(Files.readString(file));
                    if (matcher.find()) {
                        publicTypes.add(matcher.group(1));
                    }
                }
            }
        }
        String info = Files.readString(packageDirectory.resolve("package-info.java"));
        int from = info.indexOf("Public types");
        assertThat(from).as("package-info of %s has a 'Public types' paragraph", name).isNotNegative();
        int to = info.indexOf("<p>", from);
        String paragraph = info.substring(from, to < 0 ? info.indexOf("*/", from) : to);
        Set<String> named = new TreeSet<>();
        Matcher link = Pattern.compile("\\{@link io\\.graphwal\\." + name + "\\.(\\w+)[}#]").matcher(paragraph);
        while (link.find()) {
            named.add(link.group(1));
        }
        assertThat(named).as("the public types named in the package-info of %s", name).isEqualTo(publicTypes);
    }
}
