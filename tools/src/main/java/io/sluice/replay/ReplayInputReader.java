package io.sluice.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads recorded events: one JSON object per line,
 * {@code {"topic": ..., "key": <JSON or null>, "value": <JSON or null>, "timestamp": <epoch ms>, "partition": <n>}}.
 * An object or array value is sent as its JSON text; a string value is sent as the string's raw
 * UTF-8 bytes, so that malformed payloads can be replayed too.
 */
public final class ReplayInputReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("topic", "key", "value", "timestamp", "partition");

    private ReplayInputReader() {}

    /**
     * Reads a file.
     *
     * @param topic the topic for lines without one, or null if every line must name its topic; a
     *              line naming another topic is an error
     */
    public static List<InputRecord> read(String topic, Path file) {
        List<InputRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    records.add(parse(topic, line, file + ":" + number));
                }
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "--input", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        return records;
    }

    private static InputRecord parse(String topic, String line, String where) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new ConfigException("--input", where + " is not a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException("--input", where + " is not a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new ConfigException("--input", where + " has unknown field '" + f + "'; expected " + FIELDS);
            }
        });
        String lineTopic = node.path("topic").isTextual() ? node.get("topic").textValue() : null;
        if (lineTopic == null && topic == null) {
            throw new ConfigException("--input", where + " has no \"topic\"; give it, or use --input TOPIC=FILE");
        }
        if (lineTopic != null && topic != null && !lineTopic.equals(topic)) {
            throw new ConfigException(
                    "--input", where + " is for topic '" + lineTopic + "', but the file was given for '" + topic + "'");
        }
        Integer partition = null;
        if (node.hasNonNull("partition")) {
            if (!node.get("partition").canConvertToInt()
                    || node.get("partition").intValue() < 0) {
                throw new ConfigException("--input", where + " has a \"partition\" that is not a partition number");
            }
            partition = node.get("partition").intValue();
        }
        Long timestamp = null;
        if (node.hasNonNull("timestamp")) {
            if (!node.get("timestamp").canConvertToLong()) {
                throw new ConfigException("--input", where + " has a \"timestamp\" that is not epoch milliseconds");
            }
            timestamp = node.get("timestamp").longValue();
        }
        return new InputRecord(
                lineTopic != null ? lineTopic : topic,
                partition,
                bytes(node.get("key")),
                bytes(node.get("value")),
                timestamp);
    }

    private static byte[] bytes(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.isTextual() ? node.textValue() : node.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
