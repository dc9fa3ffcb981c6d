package io.sluice.pii;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object held as text whose values are all scalars, such as AppsFlyer's {@code event_value}: read as its
 * fields in order and written back, without the maps and serializer lookups of data binding. Values are read as data
 * binding reads them into a map (text, Integer, Long or BigInteger, BigDecimal, Boolean, null); anything else — a
 * nested value, a name given twice, content after the object, text that does not parse — is left to data binding,
 * which decides what it means.
 */
final class FlatJsonObject {
    private final JsonFactory factory;

    /** @param factory the factory of the mapper whose reading and writing this one stands in for */
    FlatJsonObject(JsonFactory factory) {
        this.factory = factory;
    }

    /** The object's fields in order, or null when the text is anything but a flat object read without surprises. */
    List<Map.Entry<String, Object>> read(String text) {
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<Map.Entry<String, Object>> fields = new ArrayList<>(8);
            Set<String> names = new HashSet<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!names.add(name)) {
                    return null;
                }
                Object value;
                switch (parser.nextToken()) {
                    case VALUE_STRING -> value = parser.getText();
                    case VALUE_NUMBER_INT -> value = parser.getNumberValue();
                    case VALUE_NUMBER_FLOAT -> value = parser.getDecimalValue();
                    case VALUE_TRUE -> value = Boolean.TRUE;
                    case VALUE_FALSE -> value = Boolean.FALSE;
                    case VALUE_NULL -> value = null;
                    default -> {
                        return null;
                    }
                }
                fields.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields as a JSON object, or null when a value is of a kind data binding must write. */
    String write(List<Map.Entry<String, Object>> fields) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, Object> field : fields) {
                generator.writeFieldName(field.getKey());
                if (!JsonScalar.write(generator, field.getValue())) {
                    return null;
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            return null;
        }
        return out.toString();
    }
}
