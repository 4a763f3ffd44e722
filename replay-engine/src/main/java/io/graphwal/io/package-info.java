/**
 * The file-system seam: every write, fsync, truncation, mapping, rename, listing and deletion that the log and
 * the snapshots make goes through {@link io.graphwal.io.FileIO} and the {@link io.graphwal.io.FileHandle}s it
 * opens, so that a test can fail a chosen call or forget what was never synced without a test-only branch in
 * production code.
 *
 * <p>Public types: {@link io.graphwal.io.FileIO} and {@link io.graphwal.io.FileHandle}. The production
 * implementation, {@link io.graphwal.io.FileIO#standard()}, and its memory-mapped writer are package-private.
 */
package io.graphwal.io;
