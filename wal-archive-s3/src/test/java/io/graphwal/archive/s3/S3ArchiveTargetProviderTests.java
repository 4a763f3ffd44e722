package io.graphwal.archive.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.ServiceLoader;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.ArchiveTarget.ObjectContent;
import io.graphwal.archive.ArchiveTarget.StoredObject;
import io.graphwal.archive.ArchiveTargetProvider;
import io.graphwal.archive.ArchiveTargets;
import software.amazon.awssdk.services.s3.S3Client;

class S3ArchiveTargetProviderTests {

    // What the SDK's default chain reads first; set only around each test, so nothing else sees them.
    private static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    private static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";

    @RegisterExtension
    final S3ProxyExtension proxy = TestStore.proxy();

    @BeforeEach
    void credentialsForTheDefaultChain() {
        System.setProperty(ACCESS_KEY_PROPERTY, TestStore.ACCESS_KEY);
        System.setProperty(SECRET_KEY_PROPERTY, TestStore.SECRET_KEY);
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty(ACCESS_KEY_PROPERTY);
        System.clearProperty(SECRET_KEY_PROPERTY);
    }

    private Map<String, String> options() {
        return Map.of("endpoint", proxy.getUri().toString(), "path-style", "true", "region", "eu-west-1");
    }

    @Test
    void theProviderIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ArchiveTargetProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider).isInstanceOf(S3ArchiveTargetProvider.class);
                    assertThat(provider.scheme()).isEqualTo("s3");
                });
    }

    @Test
    void theEngineOpensAnS3LocationWithItsOptionsAndTheDefaultCredentialsChain() throws IOException {
        TestStore.createBucket(proxy, "archive");
        try (ArchiveTarget target = ArchiveTargets.open("s3://archive/team/graph", options())) {
            assertThat(target).isInstanceOf(S3ArchiveTarget.class);
            assertThat(target.describe()).isEqualTo("s3://archive/team/graph");
            target.put("manifest", ObjectContent.of(new byte[] {1, 2}));
            assertThat(target.list("")).containsExactly(new StoredObject("manifest", 2));
        }
        try (S3Client client = TestStore.client(proxy.getUri())) {
            assertThat(client.headObject(request -> request.bucket("archive").key("team/graph/manifest"))
                    .contentLength()).isEqualTo(2);
        }
    }

    @Test
    void aTargetsDescriptionOpensTheSameTarget() throws IOException {
        TestStore.createBucket(proxy, "archive");
        for (String location : new String[] {"s3://archive/graphwal", "s3://archive"}) {
            try (ArchiveTarget first = ArchiveTargets.open(location, options());
                    ArchiveTarget again = ArchiveTargets.open(first.describe(), options())) {
                assertThat(again.describe()).isEqualTo(location);
                first.put("x", ObjectContent.of(new byte[] {9}));
                try (InputStream in = again.get("x")) {
                    assertThat(in.readAllBytes()).containsExactly(9);
                }
                first.delete("x");
            }
        }
    }

    @Test
    void optionsAreOptionalAndNullValuesCountAsUnset() throws IOException {
        Map<String, String> options = new java.util.HashMap<>();
        options.put("endpoint", null);
        try (ArchiveTarget target = ArchiveTargets.open("s3://some-bucket/p", options)) {
            assertThat(target.describe()).isEqualTo("s3://some-bucket/p");
        }
        try (ArchiveTarget target = ArchiveTargets.open("s3://some-bucket/p", Map.of())) {
            assertThat(target.describe()).isEqualTo("s3://some-bucket/p");
        }
    }

    @Test
    void aMalformedLocationOrOptionIsRefusedNamingIt() {
        Map<String, String> none = Map.of();
        assertThatThrownBy(() -> ArchiveTargets.open("s3://Bad_Bucket/x", none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://Bad_Bucket/x")
                .hasMessageContaining("bucket");
        assertThatThrownBy(() -> ArchiveTargets.open("s3:archive", none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://BUCKET/PREFIX");
        assertThatThrownBy(() -> ArchiveTargets.open("s3:///prefix", none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://BUCKET/PREFIX");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://archive/p?versionId=1", none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://BUCKET/PREFIX");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://archive/p", Map.of("endpiont", "http://x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpiont")
                .hasMessageContaining("endpoint, region and path-style");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://archive/p", Map.of("path-style", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path-style");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://archive/p", Map.of("endpoint", "localhost:9000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint")
                .hasMessageContaining("localhost:9000");
        assertThatThrownBy(() -> ArchiveTargets.open("s3://archive/p", Map.of("region", "Mars")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
    }
}
