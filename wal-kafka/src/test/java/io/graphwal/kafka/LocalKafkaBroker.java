package io.graphwal.kafka;

import java.util.concurrent.CountDownLatch;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A Kafka broker for trying the change feed and a read replica on one machine: one KRaft node in this JVM,
 * its log in a temporary directory, set up for the publisher's transactions on a single node. The README starts
 * it with {@code exec:java} (this module's configuration of that goal names this class) on port
 * {@value #DEFAULT_PORT}, where it serves until Ctrl-C; the tests start it in process on a port of the system's
 * choosing. Everything it holds is gone when it stops.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The port the README's command serves on. */
    public static final int DEFAULT_PORT = 9092;

    /** How the line that announces the address begins; the address follows, then "; ". */
    public static final String SERVING = "Kafka broker serving at ";

    private final EmbeddedKafkaKraftBroker broker;

    private LocalKafkaBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker and waits until it serves.
     *
     * @param port the port; 0 lets the system pick a free one
     * @return the running broker
     */
    public static LocalKafkaBroker start(int port) {
        return new LocalKafkaBroker(embedded(port));
    }

    /** A started single-node broker, as the tests use it directly. */
    static EmbeddedKafkaKraftBroker embedded(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        if (port != 0) {
            broker.brokerProperty("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        }
        // The publisher writes in transactions; one node cannot hold the transaction log's default three copies.
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.afterPropertiesSet();
        return broker;
    }

    /** Stops a broker started by {@link #embedded}, leaving none of the system properties it set. */
    static void stop(EmbeddedKafkaKraftBroker broker) {
        broker.destroy();
        // The broker announces itself through these; whatever starts later must not find a stopped broker there.
        System.clearProperty(EmbeddedKafkaKraftBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        System.clearProperty("spring.kafka.bootstrap-servers");
    }

    /**
     * Returns what to give {@code spring.kafka.bootstrap-servers}.
     *
     * @return host and port of the broker
     */
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        stop(broker);
    }

    /**
     * Serves until the process is stopped (a normal stop, such as Ctrl-C or SIGTERM, removes its files).
     *
     * @param args none for port {@value #DEFAULT_PORT}, or the port, 0 letting the system pick one
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws InterruptedException {
        LocalKafkaBroker broker = start(args.length == 0 ? DEFAULT_PORT : Integer.parseInt(args[0]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "local-kafka-stop"));
        // The benchmarks read this line for the address; keep its beginning as it is.
        System.out.println(SERVING + broker.bootstrapServers() + "; Ctrl-C stops it and forgets everything it "
                + "holds");
        new CountDownLatch(1).await();
    }
}
