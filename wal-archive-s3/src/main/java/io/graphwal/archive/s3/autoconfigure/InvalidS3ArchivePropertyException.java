package io.graphwal.archive.s3.autoconfigure;

/**
 * A {@code graphwal.archive.s3.*} property has a value the S3 archive cannot run with; reported at startup by
 * {@link S3ArchiveFailureAnalyzer}.
 */
class InvalidS3ArchivePropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String allowed;

    InvalidS3ArchivePropertyException(String key, Object value, String allowed) {
        super("Invalid value '" + value + "' for " + key + ": it must be " + allowed);
        this.key = key;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    String key() {
        return key;
    }

    String value() {
        return value;
    }

    String allowed() {
        return allowed;
    }
}
