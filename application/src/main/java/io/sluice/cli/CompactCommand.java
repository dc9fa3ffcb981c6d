package io.sluice.cli;

import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.EventHour;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice compact}: one compaction pass over the lake, as the hourly CronJob runs it. */
@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = "One compaction pass: rolls every closed hour (hour end + lake.compaction.grace) that has "
                + "new tier-0 objects into Snappy Parquet under curated/<table>/year=/month=/day=/hour=. Safe"
                + " to re-run: a pass is idempotent, and repairs a pass that crashed. One pass per lake at a "
                + "time: a pass that finds another holding the lake's compaction lease ends at once, exit "
                + "code 0, after saying who holds it (or waits: --wait-for-lease). An hour that fails is "
                + "reported and retried by the next pass; the others are compacted; exit code 1.")
final class CompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--print-ddl",
            description = "After the pass, print the Hive/Athena DDL of every lake table "
                    + "(CREATE EXTERNAL TABLE, ADD PARTITION per hour, and the Athena partition-projection alternative); "
                    + "it is also written to <lake>/_ddl/<table>.sql.")
    boolean printDdl;

    @Option(
            names = "--hour",
            paramLabel = "YYYY-MM-DDTHH",
            description = "Compact only this hour (UTC), whether or not its grace period has passed.")
    String hour;

    @Option(
            names = "--wait-for-lease",
            paramLabel = "DURATION",
            description = "When another pass holds the lake's compaction lease, wait up to this long (e.g. 10m) "
                    + "for it rather than end at once; default lake.compaction.leaseWait (0s).")
    String waitForLease;

    @Override
    public Integer call() {
        SluiceConfig loaded = config.load();
        Predicate<EventHour> which;
        if (hour != null) {
            EventHour only;
            try {
                only = EventHour.parseIso(hour);
            } catch (RuntimeException e) {
                throw new ConfigException("--hour", "'" + hour + "' is not an hour like 2026-11-22T03");
            }
            which = only::equals;
        } else {
            long now = System.currentTimeMillis();
            which = h -> h.isClosed(now, loaded.lake().compaction().grace());
        }
        CompactionSettings settings = loaded.lake().compaction();
        if (waitForLease != null) {
            settings = settings.waitingForLease(io.sluice.config.Durations.parse("--wait-for-lease", waitForLease));
        }
        CompactionReport report =
                loaded.lake().compactor(loaded.lake().open(), settings).compact(which);
        if (report.skippedForLease()) {
            out().printf(
                            "another compaction pass holds the lake's lease (%s); this pass did nothing and ends cleanly: "
                                    + "that pass compacts what this one would%n",
                            report.leaseHolder());
            return 0;
        }
        for (CompactionReport.HourResult h : report.hours()) {
            out().printf(
                            "%-30s %s  %d file(s)  %d rows (%d new)%n",
                            h.table(), h.hour().partitionPath(), h.files(), h.rows(), h.newRows());
        }
        out().printf(
                        "compacted %d table-hour(s) in %d ms; %d still open%n",
                        report.hours().size(), report.took().toMillis(), report.openHours());
        for (CompactionReport.FailedHour f : report.failedHours()) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "FAILED %-23s %s  kept for the next pass: %s%n",
                            f.table(), f.hour().partitionPath(), f.reason());
        }
        if (printDdl) {
            io.sluice.sinks.LakeDdl ddl =
                    new io.sluice.sinks.LakeDdl(loaded.lake().open());
            for (String table : ddl.tables()) {
                out().println();
                out().print(ddl.ddl(table));
            }
        }
        return report.failedHours().isEmpty() ? 0 : 1;
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
