package io.graphwal.archive.s3;

import java.net.URI;

import org.gaul.s3proxy.junit.S3ProxyExtension;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tests' S3: an in-process s3proxy (started and stopped around each test by its extension) with fixed
 * credentials, and a plain SDK client for arranging buckets behind the target's
 * back.
 */
public final class TestStore {

    public static final String ACCESS_KEY = "graphwal-test";
    public static final String SECRET_KEY = "graphwal-test-secret";

    private TestStore() {
    }

    /**
     * An s3proxy for one test; register it on an instance field, so each test gets a fresh, empty one. Objects
     * live in memory: s3proxy's file-system store lists the temporary file an aborted upload leaves, which S3
     * never does.
     */
    public static S3ProxyExtension proxy() {
        return S3ProxyExtension.builder().withCredentials(ACCESS_KEY, SECRET_KEY).withBlobStoreProvider("transient")
                .build();
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A target on the proxy, with the test credentials. */
    public static S3ArchiveTarget.Builder target(S3ProxyExtension proxy, String bucket) {
        return S3ArchiveTarget.builder().endpoint(proxy.getUri().toString()).pathStyle(true).bucket(bucket)
                .credentials(credentials());
    }

    public static void createBucket(S3ProxyExtension proxy, String bucket) {
        try (S3Client client = client(proxy.getUri())) {
            client.createBucket(request -> request.bucket(bucket));
        }
    }

    public static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
