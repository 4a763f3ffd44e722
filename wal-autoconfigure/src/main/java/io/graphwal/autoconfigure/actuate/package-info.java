/**
 * Actuator support for GraphWAL: the {@code wal} and {@code graph} endpoints and the {@code wal} health
 * indicator, each auto-configured only where Actuator is on the class path.
 */
package io.graphwal.autoconfigure.actuate;
