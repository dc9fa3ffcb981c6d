package io.sluice.dimensions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives one key's history the way the processor will: the state goes through the codec before
 * every change (as it does through RocksDB), and the emissions are applied to a table keyed by
 * {@code scd_id}, like a compacted history topic.
 */
final class KeyTimeline {
    private final DimensionHistory history;
    private final KeyHistoryCodec codec = new KeyHistoryCodec();
    private final Map<String, Map<String, Object>> historyTopic = new LinkedHashMap<>();
    private byte[] stored;
    private ApplyResult last;

    KeyTimeline(DimensionSpec spec) {
        this.history = new DimensionHistory(spec);
    }

    ApplyResult apply(UserChange change) {
        return apply(change.build());
    }

    ApplyResult apply(DimensionChange change) {
        KeyHistory state = stored == null ? null : codec.decode(stored);
        last = history.apply(state, change);
        // Like the processor, write back only what changed; the first result is kept either way so state() has one.
        if (last.stateChanged() || stored == null) {
            stored = codec.encode(last.state());
        }
        for (Emission emission : last.emissions()) {
            if (emission.isRetraction()) {
                historyTopic.remove(emission.scdId());
            } else {
                historyTopic.put(emission.scdId(), emission.row());
            }
        }
        return last;
    }

    KeyTimeline applyAll(UserChange... changes) {
        for (UserChange change : changes) {
            apply(change);
        }
        return this;
    }

    /** The history topic's rows for this key, by version. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>(historyTopic.values());
        String version = history.spec().naming().version();
        rows.sort(Comparator.comparing(row -> (Integer) row.get(version)));
        return rows;
    }

    /** One column of the history rows, by version. */
    List<Object> column(String column) {
        return rows().stream().map(row -> row.get(column)).toList();
    }

    Map<String, Map<String, Object>> historyTopic() {
        return historyTopic;
    }

    KeyHistory state() {
        return codec.decode(stored);
    }

    DimensionHistory history() {
        return history;
    }

    ApplyResult last() {
        return last;
    }
}
