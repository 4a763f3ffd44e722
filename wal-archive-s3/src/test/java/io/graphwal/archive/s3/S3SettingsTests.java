package io.graphwal.archive.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.graphwal.wal.InvalidSettingException;

class S3SettingsTests {

    @Test
    void bucketNamesFollowTheDnsRulesS3Has() {
        for (String good : List.of("abc", "graph-archive", "my.graph.archive", "a1b", "x".repeat(63))) {
            assertThat(S3Settings.bucket(good)).isEqualTo(good);
        }
        for (String bad : Arrays.asList(null, "", " ", "ab", "x".repeat(64), "Upper", "under_score", "-lead",
                "trail-", "two..dots", "sp ace", "bucket/key")) {
            assertRefused(() -> S3Settings.bucket(bad), "bucket", bad);
        }
    }

    @Test
    void prefixesLoseOuterSlashesAndKeepToSafeCharacters() {
        assertThat(S3Settings.prefix("graphwal")).isEqualTo("graphwal");
        assertThat(S3Settings.prefix("/team/graph/")).isEqualTo("team/graph");
        assertThat(S3Settings.prefix("")).isEmpty();
        assertThat(S3Settings.prefix("/")).isEmpty();
        assertThat(S3Settings.prefix(null)).isEmpty();
        for (String bad : List.of("a//b", "sp ace", "ü", "a?b", "x".repeat(513))) {
            assertRefused(() -> S3Settings.prefix(bad), "prefix", bad);
        }
    }

    @Test
    void endpointsAreHttpOrHttpsUrlsOfAHostAndPort() {
        assertThat(S3Settings.endpoint("http://localhost:9000")).isEqualTo(URI.create("http://localhost:9000"));
        assertThat(S3Settings.endpoint("https://s3.example.com/")).isEqualTo(URI.create("https://s3.example.com"));
        assertThat(S3Settings.endpoint("HTTP://127.0.0.1:8080")).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(S3Settings.endpoint(null)).isNull();
        assertThat(S3Settings.endpoint("  ")).isNull();
        for (String bad : List.of("localhost:9000", "ftp://host", "http://", "http://host/path",
                "http://user:pw@host", "http://host?x=1", "http://host#f", "http://ho st", "not a url",
                "mailto:someone@example.com")) {
            assertRefused(() -> S3Settings.endpoint(bad), "endpoint", bad);
        }
    }

    @Test
    void regionsAreLowercaseWordsJoinedByHyphens() {
        for (String good : List.of("us-east-1", "eu-central-2", "auto", "garage", "cn-north-1")) {
            assertThat(S3Settings.region(good)).isEqualTo(good);
        }
        for (String bad : Arrays.asList(null, "", "US-EAST-1", "us_east_1", "us east 1", "-us", "us-", "us--east",
                "x".repeat(65))) {
            assertRefused(() -> S3Settings.region(bad), "region", bad);
        }
    }

    @Test
    void pathStyleIsTrueOrFalse() {
        assertThat(S3Settings.pathStyle("true")).isTrue();
        assertThat(S3Settings.pathStyle("FALSE")).isFalse();
        assertRefused(() -> S3Settings.pathStyle("yes"), "path-style", "yes");
        assertRefused(() -> S3Settings.pathStyle(""), "path-style", "");
    }

    @Test
    void aTargetNeedsABucket() {
        assertRefused(() -> S3ArchiveTarget.builder().build(), "bucket", null);
    }

    private static void assertRefused(Runnable call, String setting, String value) {
        assertThatThrownBy(call::run).as(String.valueOf(value)).isInstanceOfSatisfying(InvalidSettingException.class,
                e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.value()).isEqualTo(value);
                    assertThat(e.allowed()).isNotBlank();
                });
    }
}
