package io.sluice.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sluice.config.DimensionConfig;
import io.sluice.dimensions.DimensionHistory;
import io.sluice.dimensions.KeyHistory;
import io.sluice.dimensions.KeyHistoryCodec;
import io.sluice.dimensions.NaturalKey;
import io.sluice.topology.TopicNames;
import java.io.IOException;
import java.io.OutputStream;
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

/**
 * {@code GET /dimensions/<table>/<key>[/<key2>...]?asOf=<ISO-8601 instant, date-time (UTC), date, or epoch ms>}:
 * the version of a dimension row valid at that instant (now when {@code asOf} is absent), as JSON;
 * 404 when there is none (before the first version, while deleted, or a key never seen). Key values
 * are the masked ones (what the curated and history topics show), in natural-key order. Served from
 * the local state store through Kafka Streams interactive queries; a key another instance owns is
 * fetched from that instance ({@code application.server}), once.
 */
public final class DimensionQueries implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/dimensions/";
    private static final String FORWARDED = "X-Sluice-Forwarded";

    private final Map<String, DimensionConfig> dimensions = new LinkedHashMap<>();
    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KeyHistoryCodec codec = new KeyHistoryCodec();

    /**
     * @param dimensions the configured dimensions
     * @param streams    the running Kafka Streams client, once there is one
     * @param self       this instance's {@code application.server}, or null when it runs alone
     */
    public DimensionQueries(List<DimensionConfig> dimensions, Supplier<KafkaStreams> streams, HostInfo self) {
        dimensions.forEach(d -> this.dimensions.put(d.table(), d));
        this.streams = streams;
        this.self = self;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, error("only GET"));
                return;
            }
            String[] path = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/");
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
                respond(exchange, 400, error("the natural key of " + dimension.table() + " is " + dimension.spec().keyColumns()
                        + ": give one path segment per column"));
                return;
            }
            long asOf;
            try {
                asOf = instant(query(exchange.getRequestURI(), "asOf"));
            } catch (DateTimeParseException | NumberFormatException e) {
                respond(exchange, 400, error("asOf must be an ISO-8601 instant (2026-11-22T10:15:00Z), a UTC date-time or date, or epoch ms"));
                return;
            }
            answer(exchange, dimension, key, asOf);
        } catch (RuntimeException e) {
            respond(exchange, 500, error(e.getClass().getSimpleName()));
        }
    }

    private void answer(HttpExchange exchange, DimensionConfig dimension, List<String> key, long asOf) throws IOException {
        KafkaStreams client = streams.get();
        if (client == null || client.state() != KafkaStreams.State.RUNNING) {
            respond(exchange, 503, error("not ready: Kafka Streams is " + (client == null ? "not started" : client.state())));
            return;
        }
        String storeName = TopicNames.dimensionStore(dimension.table());
        String storeKey = NaturalKey.storeKey(key);
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> query = StoreQueryParameters.fromNameAndType(storeName,
                QueryableStoreTypes.keyValueStore());
        if (self != null) {
            // Several instances: ask Kafka Streams which one owns the key's partition.
            KeyQueryMetadata owner = client.queryMetadataForKey(storeName, storeKey, Serdes.String().serializer());
            if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                respond(exchange, 503, error("the store of " + dimension.table() + " is not available yet (rebalancing or restoring)"));
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
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).header(FORWARDED, "1")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            respond(exchange, answer.statusCode(), answer.body());
        } catch (IOException e) {
            respond(exchange, 502, error("the instance owning this key (" + owner.host() + ":" + owner.port() + ") did not answer"));
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
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
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
