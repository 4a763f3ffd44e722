package io.graphwal.archive.s3.autoconfigure;

import java.util.Map;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an invalid {@code graphwal.archive.s3.*} property at startup: which key, which value, what it must
 * be, and what removing it would mean.
 */
class S3ArchiveFailureAnalyzer extends AbstractFailureAnalyzer<InvalidS3ArchivePropertyException> {

    private static final Map<String, String> WITHOUT_IT = Map.of(
            "graphwal.archive.s3.bucket", "to stop archiving to S3",
            "graphwal.archive.s3.prefix", "to archive under the default prefix 'graphwal'",
            "graphwal.archive.s3.endpoint", "to archive to AWS S3 itself",
            "graphwal.archive.s3.region", "to use the default region 'us-east-1'");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidS3ArchivePropertyException cause) {
        String removing = WITHOUT_IT.get(cause.key());
        return new FailureAnalysis("GraphWAL cannot archive to S3: the property '" + cause.key()
                + "' has the invalid value '" + cause.value() + "'.", "Set '" + cause.key() + "' to "
                        + cause.allowed() + (removing == null ? "." : ", or remove it " + removing + "."),
                cause);
    }
}
