package io.graphwal.archive.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.NoSuchFileException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.graphwal.archive.ArchiveTarget.ObjectContent;

class S3ArchiveTargetUnreachableTests {

    @Test
    void everyOperationOnAClosedPortFailsSoonWithAnIOExceptionNamingTheTargetAndObject() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (S3ArchiveTarget target = S3ArchiveTarget.builder().endpoint("http://127.0.0.1:" + port)
                .pathStyle(true).bucket("archive").credentials(TestStore.credentials()).build()) {
            // Far above what a refused connection takes, even retried; it only catches a hang.
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                assertThatThrownBy(() -> target.put("segments/1", ObjectContent.of(new byte[] {1})))
                        .isInstanceOf(IOException.class).hasMessageContaining("s3://archive/graphwal")
                        .hasMessageContaining("segments/1");
                assertThatThrownBy(() -> target.list("segments/")).isInstanceOf(IOException.class)
                        .hasMessageContaining("s3://archive/graphwal");
                assertThatThrownBy(() -> target.get("segments/1")).isInstanceOf(IOException.class)
                        .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining("s3://archive/graphwal")
                        .hasMessageContaining("segments/1");
                assertThatThrownBy(() -> target.delete("segments/1")).isInstanceOf(IOException.class)
                        .hasMessageContaining("s3://archive/graphwal").hasMessageContaining("segments/1");
            });
            assertThat(target.describe()).isEqualTo("s3://archive/graphwal");
        }
    }
}
