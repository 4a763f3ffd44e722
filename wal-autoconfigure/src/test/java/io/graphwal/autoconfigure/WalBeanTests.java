package io.graphwal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.graphwal.graph.Node;
import io.graphwal.replay.GraphDatabase;
import io.graphwal.wal.WalClosedException;
import io.graphwal.wal.WalLockedException;
import io.graphwal.wal.WalReader;
import io.graphwal.wal.WriteAheadLog;

/**
 * Nothing an application does through the auto-configured {@link WriteAheadLog} bean can stop the next start:
 * each public method of the bean is called on a live graph (the log rolled over and checkpointed, so a purge
 * could strand a snapshot if one were possible), the application is stopped, started again on the same
 * directory, and must come up with the same graph. The bean has no method that appends or purges; a test
 * below fails when a public method is added to the log without being covered here.
 */
class WalBeanTests {

    /** Every public method of the bean, by name, and a call of it as an application might make it. */
    private static final Map<String, Consumer<WriteAheadLog>> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("reader", wal -> {
            try (WalReader reader = wal.reader(wal.firstLsn())) {
                while (reader.next()) {
                    reader.payload();
                }
            }
            // One left open as a careless caller would, for the shutdown and the restart to live with.
            wal.reader(wal.firstLsn()).next();
        });
        CALLS.put("flush", WriteAheadLog::flush);
        CALLS.put("awaitDurable", wal -> wal.awaitDurable(wal.appendedLsn()));
        CALLS.put("durable", wal -> assertThat(wal.durable(wal.appendedLsn()).join()).isEqualTo(wal.appendedLsn()));
        CALLS.put("appendedLsn", WriteAheadLog::appendedLsn);
        CALLS.put("durableLsn", WriteAheadLog::durableLsn);
        CALLS.put("firstLsn", WriteAheadLog::firstLsn);
        CALLS.put("recovery", WriteAheadLog::recovery);
        CALLS.put("config", WriteAheadLog::config);
        CALLS.put("poison", WriteAheadLog::poison);
        CALLS.put("status", WriteAheadLog::status);
        CALLS.put("graphId", wal -> assertThat(wal.graphId()).hasSize(36));
        CALLS.put("sealedLsn", wal -> assertThat(wal.sealedLsn()).isLessThan(wal.appendedLsn()));
        CALLS.put("recover", wal -> assertThatThrownBy(() -> WriteAheadLog.recover(wal.config(), 0, null))
                .as("a second opener of a live directory is refused").isInstanceOf(WalLockedException.class));
        CALLS.put("close", WriteAheadLog::close);
    }

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GraphWalAutoConfiguration.class));

    static List<String> calls() {
        return List.copyOf(CALLS.keySet());
    }

    @Test
    void everyPublicMethodOfTheLogIsCoveredAndNoneAppendsOrPurges() {
        Set<String> methods = Arrays.stream(WriteAheadLog.class.getMethods())
                .filter(method -> method.getDeclaringClass() == WriteAheadLog.class)
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
        assertThat(methods).as("cover a new public method of the log here").isEqualTo(new TreeSet<>(CALLS.keySet()));
        assertThat(Arrays.stream(WriteAheadLog.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers())).map(Method::getName))
                .doesNotContain("append", "write", "purgeUpTo");
    }

    @ParameterizedTest
    @MethodSource("calls")
    void aCallThroughTheBeanLeavesAGraphThatTheNextStartOpensWhole(String call) {
        String[] properties = {"graphwal.directory=" + dir.resolve("graph"), "graphwal.wal.segment-size=64KB",
            "graphwal.wal.max-record-size=16KB",
            "graphwal.snapshot.every-records=0", "graphwal.snapshot.retain=1"};
        Map<Long, Node> before = new LinkedHashMap<>();
        runner.withPropertyValues(properties).run(context -> {
            GraphDatabase db = context.getBean(GraphDatabase.class);
            WriteAheadLog wal = context.getBean(WriteAheadLog.class);
            for (int i = 0; i < 2_000; i++) {
                Graphs.addFriends(db);
                if (i == 1_500) {
                    db.checkpoint();
                }
            }
            assertThat(wal.firstLsn()).as("the checkpoint purged the log").isGreaterThan(1);
            assertThat(wal.status().segmentCount()).as("the log rolled over").isGreaterThan(1);
            before.putAll(nodes(db));

            CALLS.get(call).accept(wal);

            if (call.equals("close")) {
                assertThatThrownBy(() -> Graphs.addFriends(db)).isInstanceOf(WalClosedException.class);
            } else {
                Graphs.addFriends(db);
                before.clear();
                before.putAll(nodes(db));
            }
        });
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(nodes(context.getBean(GraphDatabase.class))).isEqualTo(before);
        });
    }

    private static Map<Long, Node> nodes(GraphDatabase db) {
        return db.read(view -> view.nodesWithLabel("Person").stream()
                .collect(Collectors.toMap(Node::id, node -> node, (a, b) -> a, LinkedHashMap::new)));
    }
}
