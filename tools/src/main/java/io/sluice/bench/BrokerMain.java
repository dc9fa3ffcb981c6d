package io.sluice.bench;

import io.sluice.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The broker's own process for {@code sluice bench}: the embedded Kafka broker in a JVM of its
 * own, so that its CPU time and memory are measured apart from the application's. Prints its
 * address on stdout, and stops when its stdin closes — when told to, or when the bench dies.
 */
public final class BrokerMain {
    /** The line prefix that carries the broker's address. */
    static final String READY = "sluice-bench-broker-ready ";

    private BrokerMain() {}

    /** Starts a broker with its data under {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]))) {
            System.out.println(READY + kafka.bootstrapServers());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // wait for end of input
            }
        }
        System.exit(0);
    }
}
