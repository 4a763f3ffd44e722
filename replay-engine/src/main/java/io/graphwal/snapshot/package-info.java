/**
 * Snapshot files: named by LSN, a checksummed header, a body streamed as checksummed blocks, written
 * atomically (temporary file, fsync, rename, directory fsync). What the body holds is the graph's business.
 */
package io.graphwal.snapshot;
