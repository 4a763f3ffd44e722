/**
 * Spring Boot auto-configuration for GraphWAL: {@code graphwal.*} properties, the replayed
 * {@link io.graphwal.replay.GraphDatabase} and its write-ahead log as beans, shutdown, and failure analysis.
 */
package io.graphwal.autoconfigure;
