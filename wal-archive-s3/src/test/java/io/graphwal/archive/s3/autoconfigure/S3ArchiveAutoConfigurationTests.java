package io.graphwal.archive.s3.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import com.jayway.jsonpath.JsonPath;

import io.graphwal.archive.ArchiveTarget;
import io.graphwal.archive.ArchiveTarget.ObjectContent;
import io.graphwal.archive.DirectoryArchiveTarget;
import io.graphwal.archive.s3.S3ArchiveTarget;
import io.graphwal.archive.s3.TestStore;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

class S3ArchiveAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(S3ArchiveAutoConfiguration.class));

    @Test
    void backsOffWithoutABucket() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ArchiveTarget.class)
                .doesNotHaveBean(S3ArchiveProperties.class));
        runner.withPropertyValues("graphwal.archive.s3.bucket=", "graphwal.archive.s3.endpoint=")
                .run(context -> assertThat(context).as("an empty bucket leaves S3 archiving off").hasNotFailed()
                        .doesNotHaveBean(ArchiveTarget.class));
    }

    @Test
    void aBucketContributesOneArchiveTargetWithTheDocumentedDefaults() {
        runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph").run(context -> {
            assertThat(context).hasSingleBean(ArchiveTarget.class).hasSingleBean(S3ArchiveTarget.class);
            assertThat(context.getBean(ArchiveTarget.class).describe()).isEqualTo("s3://orders-graph/graphwal");
            S3ArchiveProperties properties = context.getBean(S3ArchiveProperties.class);
            assertThat(properties.getPrefix()).isEqualTo("graphwal");
            assertThat(properties.getEndpoint()).isNull();
            assertThat(properties.getRegion()).isEqualTo("us-east-1");
            assertThat(properties.isPathStyle()).isFalse();
        });
    }

    @Test
    void everyKeyBinds() {
        runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph", "graphwal.archive.s3.prefix=team/graph",
                "graphwal.archive.s3.endpoint=http://localhost:9000", "graphwal.archive.s3.region=eu-west-1",
                "graphwal.archive.s3.path-style=true").run(context -> {
                    assertThat(context.getBean(ArchiveTarget.class).describe())
                            .isEqualTo("s3://orders-graph/team/graph");
                    S3ArchiveProperties properties = context.getBean(S3ArchiveProperties.class);
                    assertThat(properties.getEndpoint()).isEqualTo("http://localhost:9000");
                    assertThat(properties.getRegion()).isEqualTo("eu-west-1");
                    assertThat(properties.isPathStyle()).isTrue();
                });
    }

    @Test
    void anUnreachableStoreDoesNotStopStartup() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph",
                "graphwal.archive.s3.endpoint=http://127.0.0.1:" + port, "graphwal.archive.s3.path-style=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ArchiveTarget.class));
    }

    @Test
    void backsOffWhenGraphWalIsDisabled() {
        runner.withPropertyValues("graphwal.enabled=false", "graphwal.archive.s3.bucket=orders-graph")
                .run(context -> assertThat(context).doesNotHaveBean(ArchiveTarget.class));
    }

    @Test
    void backsOffWhenTheApplicationHasItsOwnArchiveTarget(@TempDir Path directory) {
        DirectoryArchiveTarget own = new DirectoryArchiveTarget(directory);
        runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph")
                .withBean(ArchiveTarget.class, () -> own)
                .run(context -> assertThat(context).getBean(ArchiveTarget.class).isSameAs(own));
    }

    @Test
    void eachInvalidValueFailsStartupWithAnAnalysisNamingTheKeyTheValueAndTheFix() {
        Map<String, String> invalid = Map.of(
                "graphwal.archive.s3.prefix", "a//b",
                "graphwal.archive.s3.endpoint", "localhost:9000",
                "graphwal.archive.s3.region", "US East");
        invalid.forEach((key, value) -> runner
                .withPropertyValues("graphwal.archive.s3.bucket=orders-graph", key + "=" + value).run(context -> {
                    assertThat(context).as(key).hasFailed();
                    FailureAnalysis analysis = new S3ArchiveFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).as(key).isNotNull();
                    InvalidS3ArchivePropertyException cause = (InvalidS3ArchivePropertyException) analysis.getCause();
                    assertThat(cause.key()).isEqualTo(key);
                    assertThat(analysis.getDescription()).contains(key).contains("'" + value + "'");
                    assertThat(analysis.getAction()).contains(key).contains(cause.allowed()).contains("remove it");
                }));
    }

    @Test
    void anInvalidBucketNameIsExplainedWithTheNamingRules() {
        runner.withPropertyValues("graphwal.archive.s3.bucket=Orders_Graph").run(context -> {
            FailureAnalysis analysis = new S3ArchiveFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("graphwal.archive.s3.bucket").contains("'Orders_Graph'");
            assertThat(analysis.getAction()).contains("lowercase letters").contains("to stop archiving to S3");
        });
    }

    @Test
    void anInvalidPathStyleFailsBindingNamingTheKey() {
        runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph", "graphwal.archive.s3.path-style=maybe")
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    while (failure != null && !(failure instanceof BindException)) {
                        failure = failure.getCause();
                    }
                    assertThat(failure).isInstanceOf(BindException.class);
                    assertThat(((BindException) failure).getProperty().getName().toString())
                            .isEqualTo("graphwal.archive.s3.path-style");
                });
    }

    @Test
    void theAutoConfigurationAndTheFailureAnalyzerAreRegistered() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ImportCandidates.load(AutoConfiguration.class, loader))
                .contains(S3ArchiveAutoConfiguration.class.getName());
        List<String> analyzers = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources("META-INF/spring.factories"))) {
            Properties factories = new Properties();
            try (InputStream in = url.openStream()) {
                factories.load(in);
            }
            analyzers.addAll(List.of(factories.getProperty("org.springframework.boot.diagnostics.FailureAnalyzer", "")
                    .split("\\s*,\\s*")));
        }
        assertThat(analyzers).contains(S3ArchiveFailureAnalyzer.class.getName());
    }

    @Test
    void everyKeyHasGeneratedMetadataWithADescription() throws IOException {
        List<String> names = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            String json;
            try (InputStream in = url.openStream()) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<String> found = JsonPath.read(json, "$.properties[?(@.name =~ /graphwal\\.archive\\.s3\\..*/)].name");
            names.addAll(found);
            descriptions.addAll(JsonPath.read(json,
                    "$.properties[?(@.name =~ /graphwal\\.archive\\.s3\\..*/)].description"));
        }
        assertThat(names).containsExactlyInAnyOrder("graphwal.archive.s3.bucket", "graphwal.archive.s3.prefix",
                "graphwal.archive.s3.endpoint", "graphwal.archive.s3.region", "graphwal.archive.s3.path-style");
        assertThat(descriptions).hasSize(5).allSatisfy(description -> assertThat(description).isNotBlank());
    }

    @Nested
    class AgainstAStore {

        @RegisterExtension
        final S3ProxyExtension proxy = TestStore.proxy();

        @Test
        void theTargetStoresObjectsWithTheApplicationsCredentialsProvider() {
            TestStore.createBucket(proxy, "orders-graph");
            runner.withPropertyValues("graphwal.archive.s3.bucket=orders-graph",
                    "graphwal.archive.s3.endpoint=" + proxy.getUri(), "graphwal.archive.s3.path-style=true")
                    .withBean(AwsCredentialsProvider.class, TestStore::credentials)
                    .run(context -> {
                        ArchiveTarget target = context.getBean(ArchiveTarget.class);
                        target.put("manifest", ObjectContent.of(new byte[] {1, 2, 3}));
                        try (InputStream in = target.get("manifest")) {
                            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
                        }
                    });
        }
    }
}
