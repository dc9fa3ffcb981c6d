package io.sluice.serdes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Builds Debezium JSON change events for tests, as the JSON converter writes them. */
final class DebeziumEvent {
    private final ObjectNode envelope = JsonTree.MAPPER.createObjectNode();
    private boolean withSchema;

    static DebeziumEvent insert() {
        return new DebeziumEvent().op("c");
    }

    static DebeziumEvent update() {
        return new DebeziumEvent().op("u");
    }

    static DebeziumEvent delete() {
        return new DebeziumEvent().op("d");
    }

    static DebeziumEvent read() {
        return new DebeziumEvent().op("r");
    }

    DebeziumEvent op(String op) {
        envelope.put("op", op);
        envelope.putObject("source")
                .put("connector", "postgresql")
                .put("table", "users")
                .put("ts_ms", 1_700_000_000_000L);
        envelope.put("ts_ms", 1_700_000_000_500L);
        return this;
    }

    DebeziumEvent committedAt(long tsMs) {
        ((ObjectNode) envelope.get("source")).put("ts_ms", tsMs);
        return this;
    }

    DebeziumEvent after(Object... columnsAndValues) {
        envelope.set("after", JsonTree.MAPPER.valueToTree(columns(columnsAndValues)));
        return this;
    }

    DebeziumEvent before(Object... columnsAndValues) {
        envelope.set("before", JsonTree.MAPPER.valueToTree(columns(columnsAndValues)));
        return this;
    }

    DebeziumEvent withSchemaWrapper() {
        this.withSchema = true;
        return this;
    }

    byte[] bytes() {
        if (!withSchema) {
            return envelope.toString().getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode wrapped = JsonTree.MAPPER.createObjectNode();
        wrapped.putObject("schema").put("type", "struct").put("name", "shop.public.users.Envelope");
        wrapped.set("payload", envelope);
        return wrapped.toString().getBytes(StandardCharsets.UTF_8);
    }

    static java.util.Map<String, Object> columns(Object... columnsAndValues) {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            map.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return map;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
