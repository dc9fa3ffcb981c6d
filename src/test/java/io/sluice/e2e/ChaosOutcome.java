package io.sluice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.sinks.LakeFileSystem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run over a chaos input left: the curated topic's committed rows and the lake's Parquet
 * rows per hour, both without the coordinates that differ from run to run (Kafka offsets), so that
 * a run through faults compares equal to an uninterrupted one exactly when nothing was lost or
 * duplicated.
 *
 * @param curated the curated topic's rows, each its non-null fields in name order, sorted
 * @param lake    hour directory to its Parquet rows (see {@link LakeRowsByHour})
 */
record ChaosOutcome(List<String> curated, Map<String, List<String>> lake) {
    static final String CURATED_TOPIC = "curated.mmp.events";

    static ChaosOutcome read(String bootstrap, String registryUrl, LakeFileSystem lake) {
        List<String> curated = new ArrayList<>();
        for (JsonNode row : TopicContent.rows(bootstrap, CURATED_TOPIC, registryUrl)) {
            curated.add(render(row));
        }
        curated.sort(null);
        return new ChaosOutcome(curated, LakeRowsByHour.of(lake));
    }

    /** Rows per hour directory, for reports. */
    Map<String, Integer> lakeCounts() {
        return LakeRowsByHour.counts(lake);
    }

    int lakeRows() {
        return lake.values().stream().mapToInt(List::size).sum();
    }

    private static String render(JsonNode row) {
        Map<String, String> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isNull()) {
                fields.put(field.getKey(), field.getValue().toString());
            }
        }
        return fields.toString();
    }
}
