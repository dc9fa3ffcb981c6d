package io.sluice.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.HttpSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints: {@code /metrics} (Prometheus text format), {@code /health/live} and
 * {@code /health/ready}. Ready means Kafka Streams is RUNNING: not while it starts, rebalances or restores state, so
 * that a rolling restart waits for each pod to catch up; and no dependency is failing (the schema registry or Kafka
 * unavailable: the answer names it under {@code degraded}). Every handler here answers from memory; {@code /dimensions},
 * which may wait on another pod, has a listener and threads of its own ({@link DimensionQueries#serve}), so that no
 * query can delay a probe.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** Enough for the kubelet's probes and a scrape while a few slow clients run into the read limit. */
    private static final int THREADS = 4;

    private final HttpListener listener;

    private OpsServer(HttpListener listener) {
        this.listener = listener;
    }

    /**
     * Starts serving on {@code http.bindAddress:http.port}.
     *
     * @param http             where, and the request time limits
     * @param registry         the meters to expose
     * @param streams          the Kafka Streams client whose state decides readiness, once there is one
     * @param restoreRemaining changelog records still to restore, reported by the readiness endpoint
     */
    public static OpsServer start(
            HttpSettings http,
            PrometheusMeterRegistry registry,
            Supplier<KafkaStreams> streams,
            LongSupplier restoreRemaining) {
        return start(http, registry, streams, restoreRemaining, List::of);
    }

    /**
     * Starts serving on {@code http.bindAddress:http.port}, with the failing dependencies in readiness.
     *
     * @param degraded the dependencies failing now (names, never messages); any makes the pod not ready
     */
    public static OpsServer start(
            HttpSettings http,
            PrometheusMeterRegistry registry,
            Supplier<KafkaStreams> streams,
            LongSupplier restoreRemaining,
            Supplier<List<String>> degraded) {
        Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        handlers.put(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        handlers.put("/health/live", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
        handlers.put("/health/ready", exchange -> {
            KafkaStreams client = streams.get();
            String state = client == null ? "NOT_STARTED" : client.state().name();
            List<String> failing = degraded.get();
            boolean ready = client != null && client.state() == KafkaStreams.State.RUNNING && failing.isEmpty();
            respond(
                    exchange,
                    ready ? 200 : 503,
                    "application/json",
                    "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"streams\":\"" + state
                            + "\",\"restoreRemainingRecords\":" + restoreRemaining.getAsLong()
                            + ",\"degraded\":["
                            + String.join(
                                    ",",
                                    failing.stream().map(d -> "\"" + d + "\"").toList()) + "]}");
        });
        HttpListener listener = HttpListener.start(
                "ops",
                new InetSocketAddress(http.bindAddress(), http.port()),
                THREADS,
                http.readTimeout(),
                http.requestTimeout(),
                registry,
                handlers,
                List.of());
        LOG.info(
                "metrics and health on http://{}:{}/ (/metrics, /health/live, /health/ready)",
                http.bindAddress(),
                listener.port());
        return new OpsServer(listener);
    }

    /** The port actually bound. */
    public int port() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
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
