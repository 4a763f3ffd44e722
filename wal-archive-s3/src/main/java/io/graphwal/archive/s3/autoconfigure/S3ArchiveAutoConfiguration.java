package io.graphwal.archive.s3.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.s3.S3ArchiveTarget;
import io.graphwal.autoconfigure.GraphWalAutoConfiguration;
import io.graphwal.wal.InvalidSettingException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Auto-configuration of an {@link ArchiveTarget} in an S3 bucket, active once {@code graphwal.archive.s3.bucket}
 * names one (an empty value leaves it off). Creating it contacts nothing: a store that is unreachable at startup shows up as the archive's
 * failures and health, not as a failed start.
 */
@AutoConfiguration(before = GraphWalAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "graphwal.enabled", matchIfMissing = true)
@Conditional(OnBucketSet.class)
@EnableConfigurationProperties(S3ArchiveProperties.class)
public final class S3ArchiveAutoConfiguration {

    private static final String PREFIX = "graphwal.archive.s3.";

    /**
     * The bucket as an archive target. Credentials come from the application's {@link AwsCredentialsProvider}
     * bean when it has exactly one, else from the AWS SDK's default chain.
     */
    @Bean
    @ConditionalOnMissingBean(ArchiveTarget.class)
    S3ArchiveTarget s3ArchiveTarget(S3ArchiveProperties properties,
            ObjectProvider<AwsCredentialsProvider> credentials) {
        S3ArchiveTarget.Builder builder = S3ArchiveTarget.builder();
        try {
            builder.bucket(properties.getBucket())
                    .prefix(properties.getPrefix())
                    .endpoint(properties.getEndpoint())
                    .region(properties.getRegion())
                    .pathStyle(properties.isPathStyle());
        } catch (InvalidSettingException e) {
            throw new InvalidS3ArchivePropertyException(PREFIX + e.setting(), e.value(), e.allowed());
        }
        return builder.credentials(credentials.getIfUnique()).build();
    }
}
