/**
 * The archive: a graph's log and snapshots copied, as they are written, to a place that outlives its disk,
 * and restored from there to any point the archive still holds.
 *
 * <p>Public types: the place, {@link io.graphwal.archive.ArchiveTarget} (immutable objects: put, list, get,
 * delete), with {@link io.graphwal.archive.DirectoryArchiveTarget} for a directory and
 * {@link io.graphwal.archive.ArchiveTargetProvider} for other kinds (S3), opened by location through
 * {@link io.graphwal.archive.ArchiveTargets}; the shipping, {@link io.graphwal.archive.Archiver}, configured by
 * {@link io.graphwal.archive.ArchiveConfig}, observed by {@link io.graphwal.archive.ArchiveListener} and
 * reported as {@link io.graphwal.archive.ArchiveStatus}; the way back, {@link io.graphwal.archive.ArchiveRestore},
 * and what an archive holds, {@link io.graphwal.archive.ArchiveCatalog}; and the exceptions
 * {@link io.graphwal.archive.ArchiveException} and {@link io.graphwal.archive.ArchiveCorruptException}.
 *
 * <p>Reading the implementation: {@code ArchiveFormat} is an object's layout (a checksummed header naming the
 * graph, timeline, LSN and commit-time ranges, then the body); {@code ArchiveCatalog} parses object names and
 * plans which objects reach a point; {@code ManifestText}, {@code ArchiveManifests} and {@code LocalTimeline}
 * are the small text files naming the graph and its timelines; {@code ArchiveNames} checks names.
 */
package io.graphwal.archive;
