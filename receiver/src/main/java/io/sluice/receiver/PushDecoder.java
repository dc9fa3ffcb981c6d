package io.sluice.receiver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns a push into the record that goes to the source topic, without judging it: a POST body goes as received (the
 * pipeline dead-letters what it cannot decode), a GET's query parameters become a JSON object of strings. The key is the
 * push's {@code appsflyer_id}, so copies of an event land in one partition and dedup needs no repartition.
 */
public final class PushDecoder {
    /** The push field the record is keyed by. */
    public static final String KEY_FIELD = "appsflyer_id";
    /** The query parameter a token may come in when the sender cannot set headers; never forwarded. */
    public static final String TOKEN_PARAMETER = "token";

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private PushDecoder() {}

    /** A POST: the body as is, keyed by its top-level {@code appsflyer_id} when it is a JSON object that has one. */
    public static PushRecord post(String app, byte[] body, long receivedAt) {
        return new PushRecord(app, keyOf(body), body, receivedAt);
    }

    /** A GET: every query parameter but the token, as a JSON object of strings (a repeated one keeps its first value). */
    public static PushRecord get(String app, Map<String, List<String>> parameters, long receivedAt) {
        ObjectNode event = MAPPER.createObjectNode();
        parameters.forEach((name, values) -> {
            if (!name.equals(TOKEN_PARAMETER) && !values.isEmpty()) {
                event.put(name, values.get(0));
            }
        });
        byte[] key =
                event.hasNonNull(KEY_FIELD) ? event.get(KEY_FIELD).asText().getBytes(StandardCharsets.UTF_8) : null;
        try {
            return new PushRecord(app, key, MAPPER.writeValueAsBytes(event), receivedAt);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON object of strings could not be written", e);
        }
    }

    /** The top-level {@code appsflyer_id} string of a JSON object body, read without building a tree; null otherwise. */
    static byte[] keyOf(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (KEY_FIELD.equals(name)) {
                    return value == JsonToken.VALUE_STRING ? parser.getText().getBytes(StandardCharsets.UTF_8) : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON: forwarded unkeyed, and the pipeline dead-letters it by reference
        }
    }
}
