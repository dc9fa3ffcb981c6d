package io.sluice.sinks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads tier-0 objects, Avro or JSON Lines by their name, back into rows: arrays of values indexed
 * by {@link LakeColumns}. JSON numbers stay exact (whole numbers as longs, others as decimals) and
 * nested objects and arrays become maps and lists.
 */
final class Tier0Reader {
    private final FileSystem fs;

    Tier0Reader(FileSystem fs) {
        this.fs = fs;
    }

    /**
     * What an Avro object's header says about its rows (numbering its columns in {@code columns}), or
     * null for a JSON Lines object, which says nothing until it is read.
     */
    Tier0AvroFile.Tier0Header header(Path object, LakeColumns columns) throws IOException {
        if (Tier0Format.ofObject(object.getName()) != Tier0Format.AVRO) {
            return null;
        }
        try (InputStream in = fs.open(object)) {
            return Tier0AvroFile.header(in, object.toString(), columns);
        }
    }

    /** Hands each row of the object to {@code rows}; an unreadable object fails (without quoting it). */
    void read(Path object, LakeColumns columns, Consumer<Object[]> rows) throws IOException {
        if (Tier0Format.ofObject(object.getName()) == Tier0Format.AVRO) {
            try (InputStream in = fs.open(object)) {
                Tier0AvroFile.read(in, object.toString(), columns, rows);
            }
            return;
        }
        // One streaming parser over the object's UTF-8 bytes: JSON Lines are a sequence of root-level values.
        try (InputStream in = fs.open(object);
                JsonParser parser = LakeJson.MAPPER.createParser(in)) {
            for (JsonToken token = nextToken(parser, object); token != null; token = nextToken(parser, object)) {
                if (token != JsonToken.START_OBJECT) {
                    throw notAnObject(object, parser);
                }
                rows.accept(row(parser, columns, object));
            }
        }
    }

    private static Object[] row(JsonParser parser, LakeColumns columns, Path object) throws IOException {
        Object[] row = new Object[columns.size()];
        while (nextToken(parser, object) == JsonToken.FIELD_NAME) {
            int column = columns.number(parser.currentName());
            nextToken(parser, object);
            if (column >= row.length) {
                row = Arrays.copyOf(row, columns.size());
            }
            row[column] = value(parser, object);
        }
        return row;
    }

    private static Object value(JsonParser parser, Path object) throws IOException {
        try {
            return switch (parser.currentToken()) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT ->
                    parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? parser.getBigIntegerValue()
                            : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                default -> LakeJson.MAPPER.readValue(parser, Object.class); // a nested object or array
            };
        } catch (JsonProcessingException e) {
            throw notAnObject(object, parser);
        }
    }

    private static JsonToken nextToken(JsonParser parser, Path object) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw notAnObject(object, parser);
        }
    }

    private static IOException notAnObject(Path object, JsonParser parser) {
        return new IOException(
                "line " + parser.currentLocation().getLineNr() + " of " + object + " is not a JSON object");
    }
}
