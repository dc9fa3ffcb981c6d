package io.sluice.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes records in the format {@link ReplayInputReader} reads, so that a run can be replayed. */
public final class ReplayInputWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReplayInputWriter() {}

    /** Writes the records to a JSON Lines file. */
    public static void write(List<InputRecord> records, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (InputRecord r : records) {
                ObjectNode line = MAPPER.createObjectNode();
                line.put("topic", r.topic());
                line.set("key", json(r.key()));
                line.set("value", json(r.value()));
                if (r.timestamp() != null) {
                    line.put("timestamp", r.timestamp());
                }
                if (r.partition() != null) {
                    line.put("partition", r.partition());
                }
                out.write(MAPPER.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    /** JSON objects and arrays inline; anything else as a string of its bytes, which replays byte for byte. */
    private static JsonNode json(byte[] bytes) {
        if (bytes == null) {
            return MAPPER.nullNode();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node != null && node.isContainerNode() && node.toString().equals(text)) {
                return node;
            }
        } catch (IOException e) {
            // not JSON: kept as text below
        }
        return MAPPER.getNodeFactory().textNode(text);
    }
}
