package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.graphwal.replay.ChangeListener;
import io.graphwal.replay.CommittedTransaction;
import io.graphwal.replay.GraphDatabase;

/** Beans of type {@link ChangeListener} receive every transaction committed after the graph was opened. */
class ChangeListenerBeansTests {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class Listening {

        final List<Long> received = new CopyOnWriteArrayList<>();

        @Bean
        ChangeListener recordingListener() {
            return (CommittedTransaction tx) -> received.add(tx.lsn());
        }

        // Commits while the context is still being built, before the listeners are subscribed.
        @Bean
        Object earlyWriter(GraphDatabase graph) {
            graph.commit(tx -> tx.createNode(List.of("Early"), Map.of()));
            return "written";
        }
    }

    @Test
    void listenerBeansReceiveEveryTransactionCommittedAfterTheGraphOpenedAndNoneBefore() {
        Path graph = dir.resolve("graph");
        runner.withPropertyValues("graphwal.directory=" + graph).run(context -> {
            context.getBean(GraphDatabase.class).commit(tx -> tx.createNode(List.of("Before"), Map.of()));
        });
        runner.withPropertyValues("graphwal.directory=" + graph).withUserConfiguration(Listening.class)
                .run(context -> {
                    GraphDatabase db = context.getBean(GraphDatabase.class);
                    for (int i = 0; i < 5; i++) {
                        db.commit(tx -> tx.createNode(List.of("Later"), Map.of()));
                    }
                    long last = db.wal().flush();
                    List<Long> received = context.getBean(Listening.class).received;
                    awaitUntil("the listener bean receives LSN " + last, () -> received.contains(last));
                    assertThat(received).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
                    assertThat(Thread.getAllStackTraces().keySet())
                            .anyMatch(t -> t.getName().equals("graphwal-feed[recordingListener]"));
                });
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("graphwal-feed["));
    }

    @Test
    void aContextStoppedAndStartedAgainGoesOnWithoutRepeatingOrSkipping() {
        runner.withPropertyValues("graphwal.directory=" + dir.resolve("graph")).withUserConfiguration(Listening.class)
                .run(context -> {
                    GraphDatabase db = context.getBean(GraphDatabase.class);
                    List<Long> received = context.getBean(Listening.class).received;
                    db.commit(tx -> tx.createNode(List.of("A"), Map.of()));
                    awaitUntil("LSN 2 arrives", () -> received.contains(db.wal().flush()));
                    context.stop();
                    db.commit(tx -> tx.createNode(List.of("WhileStopped"), Map.of()));
                    context.start();
                    db.commit(tx -> tx.createNode(List.of("B"), Map.of()));
                    long last = db.wal().flush();
                    awaitUntil("LSN " + last + " arrives", () -> received.contains(last));
                    assertThat(received).containsExactly(1L, 2L, 3L, 4L);
                });
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        Duration bound = Duration.ofSeconds(30);
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + bound + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000); // poll gently; the bound, not this pause, decides failure
        }
    }
}
