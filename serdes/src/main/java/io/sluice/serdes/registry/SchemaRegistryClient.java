package io.sluice.serdes.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API, written for Sluice because Confluent's own
 * client is not on Maven Central. It talks to Confluent Schema Registry, Apicurio Registry (its
 * {@code /apis/ccompat/v7} API), Karapace and Redpanda alike. Ids and schemas are cached both
 * ways, so a steady stream costs no registry round trip; TLS comes from the JDK
 * ({@code javax.net.ssl.trustStore} and friends). Thread-safe.
 */
public final class SchemaRegistryClient implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySettings settings;
    private final HttpClient http;
    private final String authorization;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();

    /** A client for the registry in the settings. */
    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        if (settings.basicAuth() != null) {
            authorization = "Basic "
                    + Base64.getEncoder().encodeToString(settings.basicAuth().getBytes(StandardCharsets.UTF_8));
        } else if (settings.bearerToken() != null) {
            authorization = "Bearer " + settings.bearerToken();
        } else {
            authorization = null;
        }
    }

    /** The settings this client was made with. */
    @Override
    public RegistrySettings settings() {
        return settings;
    }

    /** Registers a schema under a subject (idempotent) and returns its global id. */
    @Override
    public int register(String subject, Schema schema) {
        String text = schema.toString();
        Integer cached = cachedId(subject, text);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body(text));
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(
                    200, SchemaRegistryException.UNAVAILABLE, "registry answered a registration without an id");
        }
        remember(subject, text, id, schema);
        return id;
    }

    /** The id of a schema already registered under a subject; not found is a {@link SchemaRegistryException}. */
    @Override
    public int lookup(String subject, Schema schema) {
        String text = schema.toString();
        Integer cached = cachedId(subject, text);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", "/subjects/" + encode(subject), body(text))
                .path("id")
                .asInt();
        remember(subject, text, id, schema);
        return id;
    }

    /** The schema with a global id. */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema =
                parse(send("GET", "/schemas/ids/" + id, null).path("schema").asText(), "schema id " + id);
        if (schemasById.size() < settings.cacheCapacity()) {
            schemasById.put(id, schema);
        }
        return schema;
    }

    /**
     * The latest version registered under a subject. Cached: a writer using the latest version does
     * not ask per record; {@link #forgetLatest} refreshes.
     */
    @Override
    public RegisteredSchema latest(String subject) {
        return latestBySubject.computeIfAbsent(subject, s -> {
            JsonNode answer = send("GET", "/subjects/" + encode(s) + "/versions/latest", null);
            Schema schema = parse(answer.path("schema").asText(), "latest schema of " + s);
            schemasById.putIfAbsent(answer.path("id").asInt(), schema);
            return new RegisteredSchema(
                    answer.path("id").asInt(), answer.path("version").asInt(), schema);
        });
    }

    /** Drops the cached latest version of a subject. */
    @Override
    public void forgetLatest(String subject) {
        latestBySubject.remove(subject);
    }

    /** Whether a schema could be registered under a subject, by the registry's compatibility rules. */
    public boolean isCompatible(String subject, Schema schema) {
        try {
            return send(
                            "POST",
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            body(schema.toString()))
                    .path("is_compatible")
                    .asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    private Integer cachedId(String subject, String schemaText) {
        Map<String, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schemaText);
    }

    private void remember(String subject, String schemaText, int id, Schema schema) {
        if (idsBySubject.size() < settings.cacheCapacity()) {
            Map<String, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
            if (ids.size() < settings.cacheCapacity()) {
                ids.put(schemaText, id);
            }
        }
        if (schemasById.size() < settings.cacheCapacity()) {
            schemasById.putIfAbsent(id, schema);
        }
    }

    private static String body(String schemaText) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schemaText);
        return body.toString();
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.timeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    -1,
                    SchemaRegistryException.UNAVAILABLE,
                    "schema registry " + settings.url() + " is unreachable: "
                            + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    -1, SchemaRegistryException.UNAVAILABLE, "interrupted while calling the schema registry");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = JSON.missingNode();
        }
        if (response.statusCode() / 100 != 2) {
            int code = answer.path("error_code")
                    .asInt(
                            response.statusCode() == 409
                                    ? SchemaRegistryException.INCOMPATIBLE
                                    : SchemaRegistryException.UNAVAILABLE);
            throw new SchemaRegistryException(
                    response.statusCode(),
                    code,
                    describe(code, method, path) + " (HTTP " + response.statusCode() + ", code " + code + "): "
                            + answer.path("message").asText("no message"));
        }
        if (answer.isMissingNode()) {
            throw new SchemaRegistryException(
                    response.statusCode(),
                    SchemaRegistryException.UNAVAILABLE,
                    "schema registry answered " + method + " " + path + " with something that is not JSON");
        }
        return answer;
    }

    private static String describe(int code, String method, String path) {
        return switch (code) {
            case SchemaRegistryException.SUBJECT_NOT_FOUND -> "subject not found";
            case SchemaRegistryException.VERSION_NOT_FOUND -> "version not found";
            case SchemaRegistryException.SCHEMA_NOT_FOUND -> "schema not found";
            case SchemaRegistryException.INVALID_SCHEMA -> "the registry rejected the schema as invalid";
            case SchemaRegistryException.INCOMPATIBLE -> "schema is incompatible with the subject's earlier versions";
            default -> "schema registry request " + method + " " + path + " failed";
        };
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    200,
                    SchemaRegistryException.INVALID_SCHEMA,
                    what + " from the registry is not a valid Avro schema");
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A schema as registered.
     *
     * @param id      global id
     * @param version version under the subject
     * @param schema  the schema
     */
    public record RegisteredSchema(int id, int version, Schema schema) {}
}
