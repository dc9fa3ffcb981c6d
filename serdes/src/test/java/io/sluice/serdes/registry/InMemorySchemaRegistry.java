package io.sluice.serdes.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A small Confluent-API registry inside the test JVM, on loopback: enough of the protocol
 * (register, lookup, ids, latest, compatibility, error codes, basic auth) to test the client
 * without a server. Integration tests use a real one (Apicurio).
 */
final class InMemorySchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<Integer, String> schemas = new LinkedHashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final String requiredAuthorization;
    private int nextId = 100;

    InMemorySchemaRegistry(String requiredAuthorization) throws IOException {
        this.requiredAuthorization = requiredAuthorization;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (requiredAuthorization != null
                && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
            return;
        }
        String path = exchange.getRequestURI().getRawPath();
        String[] parts = path.substring(1).split("/");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        try {
            route(exchange, method, parts, body);
        } catch (org.apache.avro.SchemaParseException e) {
            respond(exchange, 422, error(42201, "invalid schema"));
        }
    }

    private void route(HttpExchange exchange, String method, String[] parts, String body) throws IOException {
        if (method.equals("GET") && parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids")) {
            String schema = schemas.get(Integer.parseInt(parts[2]));
            respond(
                    exchange,
                    schema == null ? 404 : 200,
                    schema == null
                            ? error(40403, "schema not found")
                            : JSON.createObjectNode().put("schema", schema).toString());
        } else if (method.equals("POST")
                && parts.length == 3
                && parts[0].equals("subjects")
                && parts[2].equals("versions")) {
            register(exchange, decode(parts[1]), schemaOf(body));
        } else if (method.equals("POST") && parts.length == 2 && parts[0].equals("subjects")) {
            String subject = decode(parts[1]);
            Integer id = find(subject, schemaOf(body));
            respond(
                    exchange,
                    id == null ? 404 : 200,
                    id == null ? error(40403, "schema not found under subject") : versionJson(subject, id));
        } else if (method.equals("GET")
                && parts.length == 4
                && parts[0].equals("subjects")
                && parts[3].equals("latest")) {
            List<Integer> versions = subjects.get(decode(parts[1]));
            respond(
                    exchange,
                    versions == null ? 404 : 200,
                    versions == null
                            ? error(40401, "subject not found")
                            : versionJson(decode(parts[1]), versions.get(versions.size() - 1)));
        } else if (method.equals("POST") && parts.length == 5 && parts[0].equals("compatibility")) {
            List<Integer> versions = subjects.get(decode(parts[2]));
            if (versions == null) {
                respond(exchange, 404, error(40401, "subject not found"));
            } else {
                boolean ok = backwardCompatible(schemaOf(body), schemas.get(versions.get(versions.size() - 1)));
                respond(exchange, 200, "{\"is_compatible\":" + ok + "}");
            }
        } else {
            respond(exchange, 404, error(404, "no such endpoint"));
        }
    }

    private void register(HttpExchange exchange, String subject, String schema) throws IOException {
        Integer existing = find(subject, schema);
        if (existing != null) {
            respond(exchange, 200, "{\"id\":" + existing + "}");
            return;
        }
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.isEmpty() && !backwardCompatible(schema, schemas.get(versions.get(versions.size() - 1)))) {
            respond(exchange, 409, error(409, "incompatible"));
            return;
        }
        int id = schemas.entrySet().stream()
                .filter(e -> e.getValue().equals(schema))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseGet(() -> {
                    int fresh = nextId;
                    nextId += 7; // ids are global and not dense, as in real registries
                    schemas.put(fresh, schema);
                    return fresh;
                });
        versions.add(id);
        respond(exchange, 200, "{\"id\":" + id + "}");
    }

    private Integer find(String subject, String schema) {
        for (int id : subjects.getOrDefault(subject, List.of())) {
            if (schemas.get(id).equals(schema)) {
                return id;
            }
        }
        return null;
    }

    private String versionJson(String subject, int id) {
        int version = subjects.get(subject).indexOf(id) + 1;
        return JSON.createObjectNode()
                .put("id", id)
                .put("subject", subject)
                .put("version", version)
                .put("schema", schemas.get(id))
                .toString();
    }

    private static boolean backwardCompatible(String reader, String writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(
                                new Schema.Parser().parse(reader), new Schema.Parser().parse(writer))
                        .getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private static String schemaOf(String body) throws IOException {
        JsonNode node = JSON.readTree(body);
        return new Schema.Parser()
                .setValidateDefaults(false)
                .parse(node.path("schema").asText())
                .toString();
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static String error(int code, String message) {
        return "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
