package io.sluice.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decodes mobile-measurement-partner events (AppsFlyer raw data / push API): a flat JSON object
 * per event. Every field becomes a column ({@code event_value} stays the JSON string the partner
 * sent); the event time comes from a configured field.
 */
public final class MmpEventDecoder {
    private final String table;
    private final String eventTimeField;

    /**
     * @param table          the table name the events are curated as
     * @param eventTimeField the field holding the event time, e.g. {@code event_time}
     */
    public MmpEventDecoder(String table, String eventTimeField) {
        this.table = table;
        this.eventTimeField = eventTimeField;
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
        JsonNode time = event.get(eventTimeField);
        long eventTime;
        if (time == null || time.isNull()) {
            throw new DecodeException("missing-field", "event has no '" + eventTimeField + "' field");
        } else if (time.canConvertToLong() && time.isIntegralNumber()) {
            eventTime = time.longValue();
        } else if (time.isTextual()) {
            eventTime = EventTimeParser.parseMillis(time.textValue());
        } else {
            throw new DecodeException("bad-event-time", "field '" + eventTimeField + "' is neither text nor a number");
        }
        return new DecodedRecord(table, null, eventTime, false, null, JsonTree.columns((ObjectNode) event), null);
    }
}
