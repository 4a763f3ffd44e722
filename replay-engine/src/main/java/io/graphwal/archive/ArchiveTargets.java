package io.graphwal.archive;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Opens an archive target from its location, as operators write it: {@code file:DIR} (or a plain path) for a
 * directory, {@code SCHEME://...} for a target a provider on the class path opens (see
 * {@link ArchiveTargetProvider}).
 */
public final class ArchiveTargets {

    private ArchiveTargets() {
    }

    /**
     * Opens the target at {@code location}.
     *
     * @param location {@code file:DIR}, a directory path, or a URI of a provided scheme
     * @param options options for the scheme's provider (ignored for a directory)
     * @return the target, which the caller closes
     * @throws IllegalArgumentException if the location is malformed or its scheme unknown, naming the
     *     schemes that are known
     * @throws IOException if the provider cannot set the target up
     */
    public static ArchiveTarget open(String location, Map<String, String> options) throws IOException {
        if (location.startsWith("file:")) {
            String path = location.substring("file:".length());
            if (path.startsWith("//")) {
                try {
                    return new DirectoryArchiveTarget(Path.of(new URI(location)));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("archive location " + location + " is not a valid file URI: "
                            + e.getMessage() + "; write file:/absolute/dir or file:relative/dir", e);
                }
            }
            if (path.isEmpty()) {
                throw new IllegalArgumentException("archive location file: names no directory; write file:DIR");
            }
            return new DirectoryArchiveTarget(Path.of(path));
        }
        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        if (colon <= 1 || slash >= 0 && slash < colon) {
            // No scheme (a Windows drive letter counts as none): a directory.
            return new DirectoryArchiveTarget(Path.of(location));
        }
        String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("archive location " + location + " is not a valid URI: "
                    + e.getMessage(), e);
        }
        List<String> known = new ArrayList<>(List.of("file"));
        for (ArchiveTargetProvider provider : ServiceLoader.load(ArchiveTargetProvider.class)) {
            if (provider.scheme().equals(scheme)) {
                return provider.open(uri, options);
            }
            known.add(provider.scheme());
        }
        throw new IllegalArgumentException("archive location " + location + " has the scheme '" + scheme
                + "', which no archive target on the class path opens (known: " + String.join(", ", known) + ")"
                + (scheme.equals("s3") ? "; add the wal-archive-s3 module to the class path" : ""));
    }
}
