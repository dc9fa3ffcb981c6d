package io.sluice.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints: {@code /metrics} (Prometheus text format), {@code /health/live} and
 * {@code /health/ready}, plus whatever the caller adds ({@code /dimensions/}). Ready means Kafka Streams is RUNNING: not while it starts, rebalances or
 * restores state, so that a rolling restart waits for each pod to catch up.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param bindAddress address to bind ({@code 0.0.0.0} in a pod)
     * @param port        port (0 for any free one)
     * @param registry    the meters to expose
     * @param streams     the Kafka Streams client whose state decides readiness, once there is one
     * @param restoreRemaining changelog records still to restore, reported by the readiness endpoint
     * @param more             further endpoints by path prefix (the dimension "as of" queries)
     */
    public static OpsServer start(String bindAddress, int port, PrometheusMeterRegistry registry,
                                  Supplier<KafkaStreams> streams, LongSupplier restoreRemaining, Map<String, HttpHandler> more) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
            server.createContext("/metrics", exchange -> respond(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            server.createContext("/health/live", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
            server.createContext("/health/ready", exchange -> {
                KafkaStreams client = streams.get();
                String state = client == null ? "NOT_STARTED" : client.state().name();
                boolean ready = client != null && client.state() == KafkaStreams.State.RUNNING;
                respond(exchange, ready ? 200 : 503, "application/json",
                        "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"streams\":\"" + state
                                + "\",\"restoreRemainingRecords\":" + restoreRemaining.getAsLong() + "}");
            });
            more.forEach(server::createContext);
            // A few threads: an "as of" query forwarded between two instances must not wait on itself.
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "sluice-ops-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            LOG.info("metrics and health on http://{}:{}/ (/metrics, /health/live, /health/ready)", bindAddress,
                    server.getAddress().getPort());
            return new OpsServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + bindAddress + ":" + port, e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
