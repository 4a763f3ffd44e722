/**
 * An archive target for S3 and S3-compatible stores, on the AWS SDK for Java 2.x.
 *
 * <p>Public types: {@link io.graphwal.archive.s3.S3ArchiveTarget} (the target, built with its
 * {@link io.graphwal.archive.s3.S3ArchiveTarget.Builder}) and {@link io.graphwal.archive.s3.S3ArchiveTargetProvider}
 * (the {@code s3} scheme for {@link io.graphwal.archive.ArchiveTargets}). Package-private: {@code S3Settings}
 * (the rules for bucket, prefix, endpoint, region and path-style), {@code ContentSource} (an upload's content,
 * held to its declared length) and {@code ObjectStream} (a download, whose failures name the object).
 */
package io.graphwal.archive.s3;
