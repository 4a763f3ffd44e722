package io.graphwal.archive;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Opens archive targets of one URI scheme, found with {@link java.util.ServiceLoader}: a module that adds a
 * kind of target (the {@code wal-archive-s3} module adds {@code s3}) lists its provider in
 * {@code META-INF/services/io.graphwal.archive.ArchiveTargetProvider}, and the {@code wal} tool's
 * {@code restore} and {@code archive-list} then accept its locations.
 */
public interface ArchiveTargetProvider {

    /**
     * Returns the URI scheme this provider opens, e.g. {@code s3}.
     *
     * @return the scheme, lower case
     */
    String scheme();

    /**
     * Opens a target.
     *
     * @param location where the archive is, e.g. {@code s3://bucket/prefix}
     * @param options the scheme's options (for S3: {@code endpoint}, {@code region}, {@code path-style})
     * @return the target, which the caller closes
     * @throws IllegalArgumentException if the location or an option is not valid, naming it
     * @throws IOException if the target cannot be set up
     */
    ArchiveTarget open(URI location, Map<String, String> options) throws IOException;
}
