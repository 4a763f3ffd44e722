package io.graphwal.autoconfigure.actuate;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches where {@code graphwal.archive.directory} or {@code graphwal.archive.s3.bucket} is set. */
final class OnArchiveConfigured implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return hasText(context.getEnvironment().getProperty("graphwal.archive.directory"))
                || hasText(context.getEnvironment().getProperty("graphwal.archive.s3.bucket"));
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
