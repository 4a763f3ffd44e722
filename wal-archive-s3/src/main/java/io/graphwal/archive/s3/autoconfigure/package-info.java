/**
 * Spring Boot auto-configuration for archiving to S3: the {@code graphwal.archive.s3.*} properties, an
 * {@link io.graphwal.archive.ArchiveTarget} bean when a bucket is set, and the failure analysis of bad values.
 */
package io.graphwal.archive.s3.autoconfigure;
