package io.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/** Tier-0 objects of a local lake, read with plain Avro and text readers (Avro objects are compressed, so bytes say little). */
final class Tier0Objects {
    private Tier0Objects() {}

    /** The committed tier-0 objects under {@code lake/raw}: Avro or JSON Lines, not in-progress ones. */
    static List<Path> under(Path lake) {
        Path raw = lake.resolve("raw");
        if (!Files.exists(raw)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(raw)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("_"))
                    .filter(f -> f.toString().endsWith(".avro") || f.toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's rows, one text line each (Avro records as their JSON rendering). */
    static List<String> rows(Path object) {
        try {
            if (object.toString().endsWith(".jsonl")) {
                return Files.readAllLines(object, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.isBlank())
                        .toList();
            }
            List<String> rows = new ArrayList<>();
            try (DataFileReader<GenericRecord> in = new DataFileReader<>(object.toFile(), new GenericDatumReader<>())) {
                in.forEach(record -> rows.add(record.toString()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each committed object's rows as one text, by path: what tier 0 held before compaction removed it. */
    static java.util.Map<String, String> contents(Path lake) {
        java.util.Map<String, String> contents = new java.util.TreeMap<>();
        for (Path object : under(lake)) {
            contents.put(object.toString(), String.join("\n", rows(object)));
        }
        return contents;
    }
}
