package io.graphwal.archive.s3.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for archiving to S3, bound from {@code graphwal.archive.s3.*}.
 */
@ConfigurationProperties("graphwal.archive.s3")
public class S3ArchiveProperties {

    /**
     * Name of the S3 bucket to archive into; setting it turns archiving to S3 on. Credentials come from the AWS
     * SDK's default chain, or from the application's AwsCredentialsProvider bean if it has one.
     */
    private String bucket;

    /**
     * Key prefix inside the bucket under which the archive's objects are stored; empty for the bucket's root.
     */
    private String prefix = "graphwal";

    /**
     * Endpoint of an S3-compatible store, such as http://localhost:9000; AWS S3 itself when not set.
     */
    private String endpoint;

    /**
     * Region of the bucket.
     */
    private String region = "us-east-1";

    /**
     * Whether to address the bucket in the URL's path rather than its host name, as most S3-compatible stores
     * need.
     */
    private boolean pathStyle;

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public boolean isPathStyle() {
        return pathStyle;
    }

    public void setPathStyle(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }
}
