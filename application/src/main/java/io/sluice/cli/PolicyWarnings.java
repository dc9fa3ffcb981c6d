package io.sluice.cli;

import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.config.SourceType;
import io.sluice.pii.ColumnRef;
import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.UnlistedColumns;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What {@code sluice validate} warns about: a valid policy that may still let personal data through. */
final class PolicyWarnings {
    /** AppsFlyer raw-data and push-API fields that identify a person or a device. */
    static final List<String> APPSFLYER_PERSONAL_FIELDS = List.of(
            "appsflyer_id",
            "customer_user_id",
            "advertising_id",
            "idfa",
            "idfv",
            "android_id",
            "imei",
            "oaid",
            "amazon_aid",
            "ip",
            "user_agent",
            "device_model",
            "postal_code",
            "city",
            "event_value");

    private PolicyWarnings() {}

    static List<String> of(SluiceConfig config, MaskingPolicy policy) {
        List<String> warnings = new ArrayList<>();
        if (policy.unlisted() != UnlistedColumns.KEEP) {
            return warnings;
        }
        for (SourceConfig source : config.sources()) {
            Set<String> tables = new LinkedHashSet<>();
            source.topics().forEach(t -> tables.add(source.tableOf(t)));
            for (String table : tables) {
                if (source.type() == SourceType.MMP) {
                    List<String> open = APPSFLYER_PERSONAL_FIELDS.stream()
                            .filter(f -> !policy.decide(new ColumnRef(source.name(), table, f))
                                    .structured())
                            .filter(f -> !policy.decide(new ColumnRef(source.name(), table, f))
                                    .byRule())
                            .toList();
                    if (!open.isEmpty()) {
                        warnings.add("pii.unlisted is keep: " + source.name() + "." + table + " fields "
                                + String.join(", ", open)
                                + " identify people or devices and have no rule, so they pass unmasked");
                    }
                } else {
                    warnings.add("pii.unlisted is keep: every column of " + source.name() + "." + table
                            + " without a rule passes unmasked, including columns added upstream later");
                }
            }
        }
        return warnings;
    }
}
