package io.graphwal.archive.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.graphwal.archive.ArchiveTarget.ObjectContent;
import io.graphwal.archive.ArchiveTarget.StoredObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3ArchiveTargetTests {

    private static final String BUCKET = "archive";

    @RegisterExtension
    final S3ProxyExtension proxy = TestStore.proxy();

    private final List<S3ArchiveTarget> targets = new ArrayList<>();

    @BeforeEach
    void createBucket() {
        TestStore.createBucket(proxy, BUCKET);
    }

    @AfterEach
    void closeTargets() {
        targets.forEach(S3ArchiveTarget::close);
    }

    private S3ArchiveTarget target(String prefix) {
        S3ArchiveTarget target = TestStore.target(proxy, BUCKET).prefix(prefix).build();
        targets.add(target);
        return target;
    }

    @Test
    void anObjectPutIsReadBackWholeAndListedWithItsSize() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        byte[] bytes = "segment bytes".getBytes(StandardCharsets.US_ASCII);
        target.put("segments/00000000000000000001.wal", ObjectContent.of(bytes));
        try (InputStream in = target.get("segments/00000000000000000001.wal")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(target.list("")).containsExactly(
                new StoredObject("segments/00000000000000000001.wal", bytes.length));
    }

    @Test
    void aLargeObjectMakesTheRoundTripByteForByte() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(bytes);
        target.put("snapshots/large.snap", ObjectContent.of(bytes));
        try (InputStream in = target.get("snapshots/large.snap")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void anEmptyObjectIsStoredAndListed() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        target.put("empty", ObjectContent.of(new byte[0]));
        assertThat(target.list("")).containsExactly(new StoredObject("empty", 0));
        try (InputStream in = target.get("empty")) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void listingIsInNameOrderAndKeepsToTheNamePrefix() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        for (String name : List.of("snapshots/b", "segments/b", "manifest", "segments/a", "segmentsx")) {
            target.put(name, ObjectContent.of(name.getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(target.list("")).extracting(StoredObject::name)
                .containsExactly("manifest", "segments/a", "segments/b", "segmentsx", "snapshots/b");
        assertThat(target.list("segments/")).extracting(StoredObject::name).containsExactly("segments/a",
                "segments/b");
        assertThat(target.list("segments")).extracting(StoredObject::name).containsExactly("segments/a",
                "segments/b", "segmentsx");
        assertThat(target.list("nothing")).isEmpty();
    }

    @Test
    void listingReadsEveryPagePastAThousandObjects() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        int count = 1_003;
        for (int i = 0; i < count; i++) {
            target.put(String.format("tail/%05d", i), ObjectContent.of(new byte[] {1}));
        }
        List<StoredObject> listed = target.list("tail/");
        assertThat(listed).hasSize(count);
        assertThat(listed).extracting(StoredObject::name)
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> String.format("tail/%05d", i))
                        .toList());
    }

    @Test
    void targetsUnderDifferentPrefixesOfOneBucketDoNotSeeEachOther() throws IOException {
        S3ArchiveTarget a = target("a");
        S3ArchiveTarget ab = target("ab");
        S3ArchiveTarget nested = target("a/b");
        S3ArchiveTarget root = target("");
        a.put("x", ObjectContent.of(new byte[] {1}));
        ab.put("x", ObjectContent.of(new byte[] {2, 2}));
        nested.put("x", ObjectContent.of(new byte[] {3, 3, 3}));

        assertThat(a.list("")).containsExactly(new StoredObject("b/x", 3), new StoredObject("x", 1));
        assertThat(ab.list("")).containsExactly(new StoredObject("x", 2));
        assertThat(nested.list("")).containsExactly(new StoredObject("x", 3));
        assertThat(root.list("")).extracting(StoredObject::name).containsExactly("a/b/x", "a/x", "ab/x");
        assertThatThrownBy(() -> ab.get("b/x")).isInstanceOf(NoSuchFileException.class);
        ab.delete("x");
        try (InputStream in = a.get("x")) {
            assertThat(in.readAllBytes()).containsExactly(1);
        }
    }

    @Test
    void theDescriptionIsTheLocationARestoreWouldName() {
        assertThat(target("graphwal").describe()).isEqualTo("s3://archive/graphwal");
        assertThat(target("/team/graph/").describe()).isEqualTo("s3://archive/team/graph");
        assertThat(target("").describe()).isEqualTo("s3://archive");
    }

    @Test
    void aMissingObjectIsNoSuchFileNamingIt() {
        S3ArchiveTarget target = target("graphwal");
        assertThatThrownBy(() -> target.get("segments/none.wal")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("s3://archive/graphwal/segments/none.wal");
    }

    @Test
    void aDeletedObjectIsGoneAndDeletingAMissingOneIsFine() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        target.put("old", ObjectContent.of(new byte[] {1, 2, 3}));
        target.delete("old");
        assertThat(target.list("")).isEmpty();
        assertThatThrownBy(() -> target.get("old")).isInstanceOf(NoSuchFileException.class);
        target.delete("old");
        target.delete("never-there");
    }

    @Test
    void storingTheSameBytesAgainUnderTheSameNameSucceeds() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        byte[] bytes = {4, 5, 6};
        target.put("segments/1", ObjectContent.of(bytes));
        target.put("segments/1", ObjectContent.of(bytes));
        assertThat(target.list("")).containsExactly(new StoredObject("segments/1", 3));
        try (InputStream in = target.get("segments/1")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void contentYieldingFewerBytesThanItsLengthFailsAndStoresNothing() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        assertThatThrownBy(() -> target.put("short", content(new byte[10], 11))).isInstanceOf(IOException.class)
                .hasMessageContaining("short").hasMessageContaining("s3://archive/graphwal")
                .hasMessageContaining("10 bytes instead of 11");
        assertNothingStoredAs(target, "short");
    }

    @Test
    void contentYieldingMoreBytesThanItsLengthFailsAndStoresNothing() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        assertThatThrownBy(() -> target.put("long", content(new byte[12], 11))).isInstanceOf(IOException.class)
                .hasMessageContaining("long").hasMessageContaining("more than its length of 11 bytes");
        assertNothingStoredAs(target, "long");
        assertThatThrownBy(() -> target.put("nothing", content(new byte[3], 0))).isInstanceOf(IOException.class)
                .hasMessageContaining("more than its length of 0 bytes");
        assertNothingStoredAs(target, "nothing");
    }

    @Test
    void aFailedOverwriteLeavesTheStoredObjectAsItWas() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        target.put("segments/1", ObjectContent.of(new byte[] {7, 7}));
        assertThatThrownBy(() -> target.put("segments/1", content(new byte[] {7}, 2)))
                .isInstanceOf(IOException.class);
        try (InputStream in = target.get("segments/1")) {
            assertThat(in.readAllBytes()).containsExactly(7, 7);
        }
    }

    @Test
    void contentThatCannotBeOpenedFailsNamingTheObjectWithTheContentsReason() {
        S3ArchiveTarget target = target("graphwal");
        ObjectContent broken = new ObjectContent() {
            @Override
            public long length() {
                return 4;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("segment file vanished");
            }
        };
        assertThatThrownBy(() -> target.put("segments/2", broken)).isInstanceOf(IOException.class)
                .hasMessageContaining("segments/2").hasMessageContaining("s3://archive/graphwal")
                .hasMessageContaining("segment file vanished");
    }

    @Test
    void everyStreamOpenedForAnUploadIsClosed() throws IOException {
        List<AtomicBoolean> closed = new CopyOnWriteArrayList<>();
        byte[] bytes = new byte[100_000];
        ObjectContent tracked = new ObjectContent() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                AtomicBoolean flag = new AtomicBoolean();
                closed.add(flag);
                return new ByteArrayInputStream(bytes) {
                    @Override
                    public void close() {
                        flag.set(true);
                    }
                };
            }
        };
        target("graphwal").put("tracked", tracked);
        assertThat(closed).isNotEmpty().allSatisfy(flag -> assertThat(flag).isTrue());
    }

    @Test
    void aStreamClosedBeforeItsEndLeavesTheTargetUsable() throws IOException {
        S3ArchiveTarget target = target("graphwal");
        target.put("big", ObjectContent.of(new byte[1024 * 1024]));
        try (InputStream in = target.get("big")) {
            assertThat(in.read(new byte[10])).isPositive();
        }
        assertThat(target.list("")).containsExactly(new StoredObject("big", 1024 * 1024));
    }

    @Test
    void aMissingBucketIsAnIOExceptionNamingTheTargetNotAMissingObject() {
        S3ArchiveTarget target = TestStore.target(proxy, "no-such-bucket").build();
        targets.add(target);
        assertThatThrownBy(() -> target.put("x", ObjectContent.of(new byte[1]))).isInstanceOf(IOException.class)
                .hasMessageContaining("s3://no-such-bucket/graphwal").hasMessageContaining("x");
        assertThatThrownBy(() -> target.list("")).isInstanceOf(IOException.class)
                .hasMessageContaining("s3://no-such-bucket/graphwal");
        assertThatThrownBy(() -> target.get("x")).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class).hasMessageContaining("s3://no-such-bucket/graphwal");
    }

    @Test
    void wrongCredentialsAreAnIOExceptionNamingTheTarget() {
        S3ArchiveTarget target = TestStore.target(proxy, BUCKET)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("someone", "else")))
                .build();
        targets.add(target);
        assertThatThrownBy(() -> target.list("")).isInstanceOf(IOException.class)
                .hasMessageContaining("s3://archive/graphwal");
    }

    @Test
    void namesThatAreNotRelativeSafeNamesAreRefused() {
        S3ArchiveTarget target = target("graphwal");
        for (String name : List.of("", "/abs", "trailing/", "a//b", "../up", "a/./b", ".hidden", "sp ace",
                "ü", "x".repeat(257))) {
            assertThatThrownBy(() -> target.put(name, ObjectContent.of(new byte[1])))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> target.get(name)).as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> target.delete(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        S3ArchiveTarget target = target("graphwal");
        target.close();
        target.close();
    }

    /**
     * The upload was cut off mid-body, so no object of that name exists. (s3proxy's stores do list the
     * temporary file such an upload leaves, named {@code NAME-UUID}; S3 keeps nothing of an incomplete PUT.)
     */
    private static void assertNothingStoredAs(S3ArchiveTarget target, String name) throws IOException {
        assertThat(target.list("")).extracting(StoredObject::name).doesNotContain(name);
        assertThatThrownBy(() -> target.get(name)).isInstanceOf(NoSuchFileException.class);
    }

    private static ObjectContent content(byte[] bytes, long claimedLength) {
        return new ObjectContent() {
            @Override
            public long length() {
                return claimedLength;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }
}
