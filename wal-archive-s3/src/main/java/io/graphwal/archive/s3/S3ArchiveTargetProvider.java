package io.graphwal.archive.s3;

import java.net.URI;
import java.util.Map;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.ArchiveTargetProvider;
import io.graphwal.wal.InvalidSettingException;

/**
 * Opens {@code s3://BUCKET/PREFIX} locations for {@link io.graphwal.archive.ArchiveTargets}, and so for the
 * {@code wal} tool's {@code restore} and {@code archive-list}, whenever this module is on the class path. The
 * path after the bucket is the key prefix, used as written ({@code s3://bucket} is the bucket's root); options
 * are {@code endpoint}, {@code region} and {@code path-style}, as the {@code graphwal.archive.s3.*} properties
 * of the same names; credentials come from the AWS SDK's default chain.
 */
public final class S3ArchiveTargetProvider implements ArchiveTargetProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public S3ArchiveTargetProvider() {
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ArchiveTarget open(URI location, Map<String, String> options) {
        if (!"s3".equalsIgnoreCase(location.getScheme()) || location.isOpaque() || location.getRawAuthority() == null
                || location.getRawUserInfo() != null || location.getRawQuery() != null
                || location.getRawFragment() != null) {
            throw new IllegalArgumentException("archive location " + location
                    + " is not an S3 location; write s3://BUCKET/PREFIX");
        }
        try {
            return open(location, S3ArchiveTarget.builder().bucket(location.getRawAuthority())
                    .prefix(location.getPath()), options);
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException("archive location " + location + ": " + e.getMessage(), e);
        }
    }

    private static ArchiveTarget open(URI location, S3ArchiveTarget.Builder builder, Map<String, String> options) {
        options.forEach((option, value) -> {
            if (value == null) {
                return;
            }
            switch (option) {
                case S3Settings.ENDPOINT -> builder.endpoint(value);
                case S3Settings.REGION -> builder.region(value);
                case S3Settings.PATH_STYLE -> builder.pathStyle(S3Settings.pathStyle(value));
                default -> throw new IllegalArgumentException("unknown option '" + option + "' for " + location
                        + "; S3 locations take " + S3Settings.ENDPOINT + ", " + S3Settings.REGION + " and "
                        + S3Settings.PATH_STYLE);
            }
        });
        return builder.build();
    }
}
