package io.sluice.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.config.DimensionConfig;
import io.sluice.config.HttpSettings;
import io.sluice.dimensions.DimensionHistory;
import io.sluice.dimensions.KeyHistory;
import io.sluice.dimensions.KeyHistoryCodec;
import io.sluice.dimensions.NaturalKey;
import io.sluice.topology.TopologyNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /dimensions/<table>/<key>[/<key2>...]?asOf=<ISO-8601 instant, date-time (UTC), date, or epoch ms>}:
 * the version of a dimension row valid at that instant (now when {@code asOf} is absent), as JSON;
 * 404 when there is none (before the first version, while deleted, or a key never seen). Key values
 * are the masked ones (what the curated and history topics show), in natural-key order. Served from
 * the local state store through Kafka Streams interactive queries; a key another instance owns is
 * fetched from that instance ({@code application.server}, which names this listener's port), once, with this
 * instance's token. Served on a port and threads of its own ({@link #serve}), behind a bearer token.
 */
public final class DimensionQueries implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/dimensions/";
    private static final String FORWARDED = "X-Sluice-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(DimensionQueries.class);
    /** Queries may wait on another pod for up to half the request limit; these threads wait for nothing else. */
    private static final int THREADS = 8;

    private final Map<String, DimensionConfig> dimensions = new LinkedHashMap<>();
    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final BearerToken token;
    private final Duration forwardTimeout;
    private final HttpClient http;
    private final KeyHistoryCodec codec = new KeyHistoryCodec();

    /**
     * @param dimensions the configured dimensions
     * @param streams    the running Kafka Streams client, once there is one
     * @param self       this instance's {@code application.server}, or null when it runs alone
     * @param token      the token every request carries, sent along when a query is forwarded
     * @param requestTimeout the listener's total limit per request: a forwarded query must be answered well within it
     */
    public DimensionQueries(
            List<DimensionConfig> dimensions,
            Supplier<KafkaStreams> streams,
            HostInfo self,
            BearerToken token,
            Duration requestTimeout) {
        dimensions.forEach(d -> this.dimensions.put(d.table(), d));
        this.streams = streams;
        this.self = self;
        this.token = token;
        // Half the limit: the owner's answer must arrive, and be passed on, before this request is cut off.
        this.forwardTimeout = requestTimeout.dividedBy(2);
        this.http = HttpClient.newBuilder()
                .connectTimeout(
                        forwardTimeout.compareTo(Duration.ofSeconds(2)) < 0 ? forwardTimeout : Duration.ofSeconds(2))
                .build();
    }

    /**
     * Serves these queries on {@code http.dimensions.bindAddress:port}, every request authenticated with the token.
     *
     * @param http   the listener's address and the request time limits
     * @param meters where requests cut off at a limit are counted
     */
    public HttpListener serve(HttpSettings http, MeterRegistry meters) {
        HttpSettings.DimensionsListener at = http.dimensions();
        HttpListener listener = HttpListener.start(
                "dimensions",
                new InetSocketAddress(at.bindAddress(), at.port()),
                THREADS,
                http.readTimeout(),
                http.requestTimeout(),
                meters,
                Map.of(PREFIX, this),
                List.of(token.filter()));
        LOG.info(
                "dimension queries on http://{}:{}{} (bearer token required)",
                at.bindAddress(),
                listener.port(),
                PREFIX);
        return listener;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, error("only GET"));
                return;
            }
            String[] path = exchange.getRequestURI()
                    .getRawPath()
                    .substring(PREFIX.length())
                    .split("/");
            DimensionConfig dimension = dimensions.get(path[0]);
            if (dimension == null) {
                respond(exchange, 404, error("no dimension '" + path[0] + "'; dimensions: " + dimensions.keySet()));
                return;
            }
            List<String> key = new ArrayList<>();
            for (int i = 1; i < path.length; i++) {
                key.add(URLDecoder.decode(path[i], StandardCharsets.UTF_8));
            }
            if (key.size() != dimension.spec().keyColumns().size()) {
                respond(
                        exchange,
                        400,
                        error("the natural key of " + dimension.table() + " is "
                                + dimension.spec().keyColumns() + ": give one path segment per column"));
                return;
            }
            long asOf;
            try {
                asOf = instant(query(exchange.getRequestURI(), "asOf"));
            } catch (DateTimeParseException | NumberFormatException e) {
                respond(
                        exchange,
                        400,
                        error(
                                "asOf must be an ISO-8601 instant (2026-11-22T10:15:00Z), a UTC date-time or date, or epoch ms"));
                return;
            }
            answer(exchange, dimension, key, asOf);
        } catch (RuntimeException e) {
            respond(exchange, 500, error(e.getClass().getSimpleName()));
        }
    }

    private void answer(HttpExchange exchange, DimensionConfig dimension, List<String> key, long asOf)
            throws IOException {
        KafkaStreams client = streams.get();
        if (client == null || client.state() != KafkaStreams.State.RUNNING) {
            respond(
                    exchange,
                    503,
                    error("not ready: Kafka Streams is " + (client == null ? "not started" : client.state())));
            return;
        }
        String storeName = TopologyNames.dimensionStore(dimension.table());
        String storeKey = NaturalKey.storeKey(key);
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query =
                StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore());
        if (self != null) {
            // Several instances: ask Kafka Streams which one owns the key's partition.
            KeyQueryMetadata owner = client.queryMetadataForKey(
                    storeName, storeKey, Serdes.String().serializer());
            if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                respond(
                        exchange,
                        503,
                        error("the store of " + dimension.table()
                                + " is not available yet (rebalancing or restoring)"));
                return;
            }
            if (!owner.activeHost().equals(self) && exchange.getRequestHeaders().getFirst(FORWARDED) == null) {
                forward(exchange, owner.activeHost());
                return;
            }
            query = query.withPartition(owner.partition());
        }
        byte[] stored;
        try {
            stored = client.store(query).get(storeKey);
        } catch (InvalidStateStoreException e) {
            respond(exchange, 503, error("the store of " + dimension.table() + " is migrating; retry"));
            return;
        }
        if (stored == null) {
            respond(exchange, 404, error("no history for this key"));
            return;
        }
        KeyHistory state = codec.decode(stored);
        Optional<Map<String, Object>> version = new DimensionHistory(dimension.spec()).asOfRow(state, asOf);
        if (version.isEmpty()) {
            respond(exchange, 404, error("no version valid at " + Instant.ofEpochMilli(asOf)));
            return;
        }
        respond(exchange, 200, JSON.writeValueAsString(version.get()));
    }

    private void forward(HttpExchange exchange, HostInfo owner) throws IOException {
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + exchange.getRequestURI());
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(target)
                            .timeout(forwardTimeout)
                            .header(FORWARDED, "1")
                            .header("Authorization", token.authorization())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            respond(exchange, answer.statusCode(), answer.body());
        } catch (IOException e) {
            respond(
                    exchange,
                    502,
                    error("the instance owning this key (" + owner.host() + ":" + owner.port() + ") did not answer"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error("interrupted"));
        }
    }

    /** An instant from text: ISO-8601 instant or offset date-time, a UTC local date-time or date, or epoch milliseconds. */
    static long instant(String text) {
        if (text == null || text.isBlank()) {
            return System.currentTimeMillis();
        }
        if (text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            if (text.length() == 10) {
                return LocalDate.parse(text)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
    }

    private static String query(URI uri, String name) {
        String raw = uri.getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String error(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        return body.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
