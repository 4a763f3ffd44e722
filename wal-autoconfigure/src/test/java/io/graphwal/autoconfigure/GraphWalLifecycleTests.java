package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.ContextClosedEvent;

import io.graphwal.replay.GraphDatabase;

/**
 * {@link GraphWalLifecycle} never fails a shutdown: whatever a flush or close throws is logged, the stop
 * callback runs, and the rest of the context closes.
 */
class GraphWalLifecycleTests {

    @TempDir
    Path directory;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class))
        .withUserConfiguration(FailingCloseDatabaseConfiguration.class);

    @Test
    void aCloseThatFailsIsLoggedAndTheStopCompletes() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            GraphDatabase database = context.getBean(GraphDatabase.class);
            Graphs.addFriends(database);
            context.getBean(FailingCloseDatabaseConfiguration.FailingFsync.class).arm();
            GraphWalLifecycle lifecycle = context.getBean(GraphWalLifecycle.class);
            // What the context does when it closes: announce it, then stop its lifecycles with a callback.
            lifecycle.onApplicationEvent(new ContextClosedEvent(context.getSourceApplicationContext()));
            AtomicBoolean stopped = new AtomicBoolean();
            assertThatCode(() -> lifecycle.stop(() -> stopped.set(true))).doesNotThrowAnyException();
            assertThat(stopped).as("the stop callback ran").isTrue();
            assertThat(lifecycle.isRunning()).isFalse();
        });
    }

    @Test
    void aFlushThatFailsWhileTheContextStopsIsLoggedAndTheStopCompletes() {
        contextRunner.withPropertyValues("graphwal.directory=" + directory).run((context) -> {
            Graphs.addFriends(context.getBean(GraphDatabase.class));
            context.getBean(FailingCloseDatabaseConfiguration.FailingFsync.class).arm();
            GraphWalLifecycle lifecycle = context.getBean(GraphWalLifecycle.class);
            AtomicBoolean stopped = new AtomicBoolean();
            assertThatCode(() -> lifecycle.stop(() -> stopped.set(true))).doesNotThrowAnyException();
            assertThat(stopped).as("the stop callback ran").isTrue();
        });
    }
}
