package io.graphwal.benchmarks;

import java.util.List;

/**
 * JVM options every peer JVM runs with, the same for each system so that none is favoured: the module
 * openings Neo4j's own launcher passes on Java 17 (it reflects into NIO internals for its page cache and
 * direct buffers), the one ArcadeDB asks for (to keep its files open when a thread is interrupted), and
 * silence for the warning that Neo4j's embedded scripting engine prints when it starts without JVMCI. The JMH annotations of the peer benchmarks repeat them, as annotations need constants.
 */
final class PeerJvm {

    /** The options. */
    static final List<String> OPTIONS = List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
            "-Dpolyglot.engine.WarnInterpreterOnly=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private PeerJvm() {
    }
}
