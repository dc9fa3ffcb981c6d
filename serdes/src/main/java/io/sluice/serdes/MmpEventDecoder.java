package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes mobile-measurement-partner events (AppsFlyer raw data / push API): a flat JSON object
 * per event. Known fields are typed ({@code event_revenue} "9.99" becomes a number,
 * {@code is_retargeting} "false" a flag); configured keys of the {@code event_value} JSON string are
 * flattened into columns {@code event_value_<key>}; unknown fields are kept in an {@code extra}
 * column (a JSON object as text) rather than dropped or failing.
 */
public final class MmpEventDecoder {
    /** The column unknown fields are kept in. */
    public static final String EXTRA = "extra";
    /** Prefix of flattened {@code event_value} keys. */
    public static final String EVENT_VALUE_PREFIX = "event_value_";

    private final String table;
    private final String eventTimeField;
    private final List<String> eventValueKeys;
    private final boolean unknownToExtra;

    /** A decoder that keeps every field as a column, flattening nothing (the simplest form). */
    public MmpEventDecoder(String table, String eventTimeField) {
        this(table, eventTimeField, List.of(), false);
    }

    /**
     * @param table          the table name the events are curated as
     * @param eventTimeField the field holding the event time, e.g. {@code event_time}
     * @param eventValueKeys keys of {@code event_value} to flatten into {@code event_value_<key>} columns
     * @param unknownToExtra keep fields that are not in AppsFlyer's catalogue in {@code extra}, instead of as columns
     */
    public MmpEventDecoder(String table, String eventTimeField, List<String> eventValueKeys, boolean unknownToExtra) {
        this.table = table;
        this.eventTimeField = eventTimeField;
        this.eventValueKeys = List.copyOf(eventValueKeys);
        this.unknownToExtra = unknownToExtra;
    }

    /** Decodes one event; the key is not used, as partners do not send a meaningful one. */
    public DecodeOutcome decode(byte[] value) throws DecodeException {
        if (value == null) {
            return new DecodeOutcome.Skipped("tombstone");
        }
        JsonNode event = JsonTree.parse(value, "value");
        if (!event.isObject()) {
            throw new DecodeException("not-an-event", "value is not an MMP event (expected a JSON object)");
        }
        long eventTime = eventTime(event.get(eventTimeField));
        Map<String, Object> row = new LinkedHashMap<>(event.size() * 2); // room for flattened event_value keys
        ObjectNode extra = null;
        for (Map.Entry<String, JsonNode> field : event.properties()) {
            String name = field.getKey();
            AppsFlyerFields.Type type = AppsFlyerFields.typeOf(name);
            if (type == null && unknownToExtra && !name.equals(eventTimeField)) {
                if (extra == null) {
                    extra = JsonTree.MAPPER.createObjectNode();
                }
                extra.set(name, field.getValue());
                continue;
            }
            row.put(name, typed(name, type, field.getValue()));
        }
        flattenEventValue(event.get("event_value"), row);
        if (extra != null) {
            row.put(EXTRA, extra.toString());
        }
        return new DecodedRecord(table, null, eventTime, false, null, row, null);
    }

    private long eventTime(JsonNode time) throws DecodeException {
        if (time == null || time.isNull()) {
            throw new DecodeException("missing-field", "event has no '" + eventTimeField + "' field");
        }
        if (time.canConvertToLong() && time.isIntegralNumber()) {
            return time.longValue();
        }
        if (time.isTextual()) {
            return EventTimeParser.parseMillis(time.textValue());
        }
        throw new DecodeException("bad-event-time", "field '" + eventTimeField + "' is neither text nor a number");
    }

    private static Object typed(String name, AppsFlyerFields.Type type, JsonNode value) throws DecodeException {
        if (type == null || value == null || value.isNull() || value.isContainerNode()) {
            return JsonTree.sourceValue(value, "field '" + name + "'");
        }
        if (type == AppsFlyerFields.Type.TEXT && value.isTextual()) {
            return value.textValue(); // what every branch below gives a text field, blank or "null" included
        }
        String text = value.asText().strip();
        if (value.isTextual() && (text.isEmpty() || text.equalsIgnoreCase("null") || text.equalsIgnoreCase("none"))) {
            return type == AppsFlyerFields.Type.TEXT ? value.textValue() : null;
        }
        switch (type) {
            case DECIMAL:
                if (value.isNumber()) {
                    return NumberBounds.check(value.decimalValue(), "field '" + name + "'");
                }
                BigDecimal number = NumberBounds.parse(text, "field '" + name + "'");
                if (number == null) {
                    throw new DecodeException("bad-field-type", "field '" + name + "' is not a number");
                }
                return number;
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes" -> true;
                    case "false", "0", "no" -> false;
                    default -> throw new DecodeException("bad-field-type", "field '" + name + "' is not true or false");
                };
            default:
                return JsonTree.sourceValue(value, "field '" + name + "'");
        }
    }

    private void flattenEventValue(JsonNode eventValue, Map<String, Object> row) throws DecodeException {
        if (eventValueKeys.isEmpty()) {
            return;
        }
        JsonNode parsed = null;
        if (eventValue != null
                && eventValue.isTextual()
                && !eventValue.textValue().isBlank()) {
            try {
                parsed = JsonTree.MAPPER.readTree(eventValue.textValue());
            } catch (java.io.IOException e) {
                parsed = null; // a malformed event_value leaves its flattened columns empty; the raw text is still
                // masked
            } catch (NumberFormatException e) {
                throw new DecodeException(
                        "number-out-of-range",
                        "field 'event_value' holds a number whose exponent is beyond any database's");
            }
        } else if (eventValue != null && eventValue.isObject()) {
            parsed = eventValue;
        }
        for (String key : eventValueKeys) {
            JsonNode v = parsed != null && parsed.isObject() ? parsed.get(key) : null;
            row.put(EVENT_VALUE_PREFIX + key, JsonTree.sourceValue(v, "field '" + EVENT_VALUE_PREFIX + key + "'"));
        }
    }
}
