/**
 * The {@code wal} command-line tool: {@code verify}, {@code dump} and {@code stats} over a GraphWAL
 * directory. It only reads, through {@link io.graphwal.wal.WalInspector} and the snapshot reader, so it is
 * safe on a directory that a running application holds open.
 *
 * <p>Public types: {@link io.graphwal.tool.WalTool}, the entry point; the rest is package-private.
 */
package io.graphwal.tool;
