package io.graphwal.archive.s3.autoconfigure;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches where {@code graphwal.archive.s3.bucket} holds a name: an empty value leaves S3 archiving off, as an
 * empty {@code graphwal.archive.directory} leaves the directory archive off, so a configuration file can list
 * the key without turning archiving on.
 */
final class OnBucketSet implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String bucket = context.getEnvironment().getProperty("graphwal.archive.s3.bucket");
        return bucket != null && !bucket.isBlank();
    }
}
