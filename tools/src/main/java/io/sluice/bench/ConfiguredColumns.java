package io.sluice.bench;

import io.sluice.config.AggregateConfig;
import io.sluice.config.DedupConfig;
import io.sluice.config.DimensionConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.pii.MaskingRule;
import io.sluice.pii.NamePattern;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns a configuration names for one source's table — in exact masking rules, dedup keys,
 * aggregate group-bys and measures, dimension keys and tracked columns — so that generated rows
 * carry every column the configured stages read, and the policy meets the columns it was written for.
 */
final class ConfiguredColumns {
    private static final String EVENT_VALUE = "event_value";

    private ConfiguredColumns() {}

    /** Top-level columns named for the table, in the order the configuration names them. */
    static Set<String> of(SluiceConfig config, String source, String table) {
        Set<String> columns = new LinkedHashSet<>();
        for (MaskingRule rule : config.pii().rules()) {
            List<NamePattern> path = rule.path();
            if (path.size() == 1
                    && isExact(path.get(0))
                    && rule.source().matches(source)
                    && rule.table().matches(table)) {
                columns.add(path.get(0).text());
            }
        }
        columns.addAll(readByStages(config, source, table));
        return columns;
    }

    /** Columns the configured stages read (dedup keys, group-bys, measures, dimension columns): never a latency stamp's place. */
    static Set<String> readByStages(SluiceConfig config, String source, String table) {
        Set<String> columns = new LinkedHashSet<>();
        DedupConfig dedup = config.dedupFor(source);
        if (dedup != null) {
            columns.addAll(dedup.keyFields());
        }
        for (AggregateConfig aggregate : config.aggregatesOf(source)) {
            columns.addAll(aggregate.groupBy());
            aggregate.measures().stream().filter(m -> m.field() != null).forEach(m -> columns.add(m.field()));
        }
        DimensionConfig dimension = config.dimensionFor(source, table);
        if (dimension != null) {
            columns.addAll(dimension.spec().keyColumns());
            columns.addAll(dimension.spec().track());
            columns.addAll(dimension.spec().trackExcept());
        }
        return columns;
    }

    /** Keys inside the {@code event_value} JSON column that exact rules name. */
    static Set<String> eventValueKeys(SluiceConfig config, String source, String table) {
        Set<String> keys = new LinkedHashSet<>();
        for (MaskingRule rule : config.pii().rules()) {
            List<NamePattern> path = rule.path();
            if (path.size() == 2
                    && path.get(0).text().equals(EVENT_VALUE)
                    && isExact(path.get(1))
                    && rule.source().matches(source)
                    && rule.table().matches(table)) {
                keys.add(path.get(1).text());
            }
        }
        return keys;
    }

    private static boolean isExact(NamePattern pattern) {
        return !pattern.text().contains("*");
    }
}
