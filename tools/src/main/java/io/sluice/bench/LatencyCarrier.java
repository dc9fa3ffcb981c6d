package io.sluice.bench;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.config.SourceType;
import io.sluice.pii.ColumnRef;
import io.sluice.pii.MaskingAction;
import io.sluice.pii.MaskingPolicy;
import io.sluice.topology.TopologyNames;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the latency stamp travels: a source topic and a field the configured policy keeps as it is
 * and no stage reads — an AppsFlyer free-text field ({@code af_sub5}, ...) of an MMP source, or
 * else a column {@value #CDC_FIELD} that a wildcard rule keeps in a CDC table.
 *
 * @param topic        the source topic the stamped records are sent to
 * @param field        the field that carries the stamp
 * @param curatedTopic the curated topic the stamped rows come out of
 */
record LatencyCarrier(String topic, String field, String curatedTopic) {
    static final String CDC_FIELD = "bench_sent_at";
    private static final List<String> MMP_FIELDS =
            List.of("af_sub5", "af_sub4", "af_sub3", "af_sub2", "af_sub1", "custom_data");

    /** The first place the policy lets a stamp through unchanged, MMP sources first; empty if there is none. */
    static Optional<LatencyCarrier> find(SluiceConfig config, MaskingPolicy policy) {
        for (SourceType type : List.of(SourceType.MMP, SourceType.DEBEZIUM)) {
            for (SourceConfig source : config.sources()) {
                if (source.type() != type) {
                    continue;
                }
                for (String topic : source.topics()) {
                    String table = source.tableOf(topic);
                    Set<String> read = ConfiguredColumns.readByStages(config, source.name(), table);
                    for (String field : type == SourceType.MMP ? MMP_FIELDS : List.of(CDC_FIELD)) {
                        MaskingPolicy.Decision decision = policy.decide(new ColumnRef(source.name(), table, field));
                        if (!read.contains(field)
                                && !decision.structured()
                                && decision.action() == MaskingAction.KEEP) {
                            return Optional.of(
                                    new LatencyCarrier(topic, field, TopologyNames.curated(source.name(), table)));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
