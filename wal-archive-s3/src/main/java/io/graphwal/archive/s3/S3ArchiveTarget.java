package io.graphwal.archive.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.graphwal.archive.ArchiveConfig;
import io.graphwal.archive.ArchiveTarget;
import io.graphwal.wal.InvalidSettingException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An archive in an S3 bucket, or in any store that speaks the S3 API: each object is stored under the key
 * {@code PREFIX/NAME} (just {@code NAME} when the prefix is empty), written whole by one PUT, which S3 either
 * completes or discards; a reader never sees part of an object.
 *
 * <p>Credentials come from the AWS SDK's default chain (environment, system properties, profile files,
 * container and instance roles) unless the builder is given a provider. Every operation is bounded: an attempt
 * that has not completed within {@link ArchiveConfig#ATTEMPT_TIMEOUT} fails, and the SDK retries a failed attempt
 * at most once within the same bound, because the archiver retries whole operations itself with backoff. Every
 * failure is an {@link IOException} naming the target and the object.
 *
 * <p>Thread-safe: the target holds one {@link S3Client}, which is safe for concurrent use, and no other
 * mutable state. {@link #close()} releases the client's connections and its timeout thread; the target is not
 * usable afterwards.
 */
public final class S3ArchiveTarget implements ArchiveTarget {

    // The archiver abandons a call after this long anyway; the client gives up at the same point, so nothing
    // keeps running behind an abandoned call.
    private static final Duration ATTEMPT_TIMEOUT = ArchiveConfig.ATTEMPT_TIMEOUT;
    // Short, so that a dead endpoint fails in seconds; a live one connects in milliseconds.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ATTEMPTS = 2;

    /** The longest name a target must accept, as the engine's file-system target does. */
    private static final int MAX_NAME_LENGTH = 256;
    // Parts do not start with a dot, which also rules out "." and "..".
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final S3Client client;
    private final AwsCredentialsProvider ownedCredentials;
    private final String bucket;
    private final String keyPrefix;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private S3ArchiveTarget(Builder builder) {
        this.bucket = builder.bucket;
        this.keyPrefix = builder.prefix.isEmpty() ? "" : builder.prefix + "/";
        this.description = "s3://" + bucket + (builder.prefix.isEmpty() ? "" : "/" + builder.prefix);
        AwsCredentialsProvider credentials = builder.credentials;
        this.ownedCredentials = credentials == null ? DefaultCredentialsProvider.builder().build() : null;
        S3ClientBuilder client = S3Client.builder()
                .region(Region.of(builder.region))
                .credentialsProvider(credentials != null ? credentials : ownedCredentials)
                .forcePathStyle(builder.pathStyle)
                // A body sent whole, signed and with its CRC32 in a header, rather than in aws-chunked framing:
                // some S3-compatible stores answer a chunked upload before reading its last frame and then drop the
                // connection, which fails the put. The price is reading each object once more to sign it.
                .serviceConfiguration(s3 -> s3.chunkedEncodingEnabled(false))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(override -> override
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(ATTEMPT_TIMEOUT)
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)));
        if (builder.endpoint != null) {
            client.endpointOverride(builder.endpoint);
        }
        this.client = client.build();
    }

    /**
     * Starts describing a target; {@link Builder#bucket(String)} is required.
     *
     * @return a builder with the defaults: prefix {@code graphwal}, AWS S3 in {@code us-east-1}, virtual-hosted
     *     addressing, the default credentials chain
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void put(String name, ObjectContent content) throws IOException {
        String key = key(name);
        long length = content.length();
        try (ContentSource source = new ContentSource(name, content)) {
            try {
                if (length == 0) {
                    source.checkEmpty();
                }
                client.putObject(request -> request.bucket(bucket).key(key).contentLength(length),
                        RequestBody.fromContentProvider(source, length, "application/octet-stream"));
            } catch (IOException | SdkException | IllegalStateException | UncheckedIOException e) {
                IOException own = source.failure();
                throw failure("cannot store " + name + " in " + description, own != null ? own : e);
            } catch (RuntimeException e) {
                // The signer reads the body before the request is sent and wraps what the content threw in a bare
                // RuntimeException; anything else unchecked is a bug and stays one.
                IOException own = source.failure();
                if (own == null) {
                    throw e;
                }
                throw failure("cannot store " + name + " in " + description, own);
            }
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        String keys = keyPrefix + prefix;
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(
                    request -> request.bucket(bucket).prefix(keys.isEmpty() ? null : keys)).contents()) {
                String key = object.key();
                // A key ending in "/" is a folder marker some consoles create, not an object anything archived.
                if (key.startsWith(keys) && !key.endsWith("/")) {
                    objects.add(new StoredObject(key.substring(keyPrefix.length()), object.size()));
                }
            }
        } catch (SdkException | IllegalStateException e) {
            throw failure("cannot list " + description + (prefix.isEmpty() ? "" : " under " + prefix), e);
        }
        // S3 lists in UTF-8 byte order, which for these ASCII names is String order; stores that merely
        // imitate S3 may not, so the promised order is made here.
        objects.sort(Comparator.comparing(StoredObject::name));
        return objects;
    }

    @Override
    public InputStream get(String name) throws IOException {
        String key = key(name);
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = client.getObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw missing(name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                throw missing(name);
            }
            throw failure("cannot read " + name + " from " + description, e);
        } catch (SdkException | IllegalStateException e) {
            throw failure("cannot read " + name + " from " + description, e);
        }
        return new ObjectStream(response, name + " from " + description);
    }

    @Override
    public void delete(String name) throws IOException {
        String key = key(name);
        try {
            client.deleteObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            // S3 itself answers a delete of a missing key with success; some compatible stores do not.
        } catch (SdkException | IllegalStateException e) {
            throw failure("cannot delete " + name + " from " + description, e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
            if (ownedCredentials instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Nothing is left to release that matters once the client is closed.
                }
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private String key(String name) {
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("archived object name must be 1 to " + MAX_NAME_LENGTH
                    + " characters of ASCII letters, digits and .-_/, relative, without empty parts or parts "
                    + "starting with '.': '" + name + "'");
        }
        return keyPrefix + name;
    }

    private NoSuchFileException missing(String name) {
        return new NoSuchFileException(description + "/" + name, null, "no such archived object");
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static IOException failure(String what, Exception e) {
        return new IOException(what + ": " + e.getMessage(), e);
    }

    /**
     * The settings of an {@link S3ArchiveTarget}. Each setter checks its value at once and refuses a bad one with
     * an {@link InvalidSettingException} under the setting's option name ({@code bucket}, {@code prefix},
     * {@code endpoint}, {@code region}, {@code path-style}), which is what the {@code s3://} provider's options
     * and the {@code graphwal.archive.s3.*} properties are called too. Nothing is contacted until the target is
     * used, so a target can be built while the store is unreachable.
     */
    public static final class Builder {

        private String bucket;
        private String prefix = "graphwal";
        private URI endpoint;
        private String region = "us-east-1";
        private boolean pathStyle;
        private AwsCredentialsProvider credentials;

        private Builder() {
        }

        /**
         * Sets the bucket to archive into.
         *
         * @param bucket an existing bucket's name
         * @return this builder
         * @throws InvalidSettingException if it is not a valid bucket name
         */
        public Builder bucket(String bucket) {
            this.bucket = S3Settings.bucket(bucket);
            return this;
        }

        /**
         * Sets the key prefix under which objects are stored; leading and trailing slashes are ignored.
         *
         * @param prefix the prefix, such as {@code graphwal}, or empty (or {@code null}) for the bucket's root
         * @return this builder
         * @throws InvalidSettingException if it holds other characters than ASCII letters, digits and
         *     {@code .-_/}, or an empty part
         */
        public Builder prefix(String prefix) {
            this.prefix = S3Settings.prefix(prefix);
            return this;
        }

        /**
         * Sets the endpoint of an S3-compatible store.
         *
         * @param endpoint an {@code http://} or {@code https://} URL with a host and optionally a port, or
         *     {@code null} or blank for AWS S3 itself
         * @return this builder
         * @throws InvalidSettingException if it is not such a URL
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = S3Settings.endpoint(endpoint);
            return this;
        }

        /**
         * Sets the bucket's region.
         *
         * @param region a region name such as {@code us-east-1}
         * @return this builder
         * @throws InvalidSettingException if it is not a region name
         */
        public Builder region(String region) {
            this.region = S3Settings.region(region);
            return this;
        }

        /**
         * Sets whether the bucket is addressed in the URL's path ({@code http://host/bucket/key}) rather than
         * its host name, as most S3-compatible stores need.
         *
         * @param pathStyle whether to use path-style addressing
         * @return this builder
         */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * Sets where credentials come from; the target does not close it.
         *
         * @param credentials the provider, or {@code null} for the AWS SDK's default chain
         * @return this builder
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * Creates the target, contacting nothing yet.
         *
         * @return the target, which the caller closes
         * @throws InvalidSettingException if no bucket was set
         */
        public S3ArchiveTarget build() {
            if (bucket == null) {
                throw new InvalidSettingException(S3Settings.BUCKET, null, S3Settings.BUCKET_ALLOWED);
            }
            return new S3ArchiveTarget(this);
        }
    }
}
