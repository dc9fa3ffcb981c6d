package io.sluice.sinks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds curated records for lake tests. */
final class CuratedRow {
    private final Map<String, Object> columns = new LinkedHashMap<>();
    private String table = "shop_users";
    private int partition;
    private long offset;

    static CuratedRow at(String isoInstant) {
        CuratedRow row = new CuratedRow();
        row.columns.put("__event_time", Instant.parse(isoInstant).toEpochMilli());
        return row;
    }

    CuratedRow table(String name) {
        this.table = name;
        return this;
    }

    CuratedRow offset(int partition, long offset) {
        this.partition = partition;
        this.offset = offset;
        return this;
    }

    CuratedRow with(String column, Object value) {
        columns.put(column, value);
        return this;
    }

    LakeRecord record() {
        try {
            byte[] json = LakeJson.MAPPER.writeValueAsBytes(columns);
            return LakeRecord.ofJson("curated.shop.users", table, partition, offset, 0L, json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
