package io.sluice.tools;

import io.sluice.config.ConfigException;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.demo.DemoDataGenerator;
import io.sluice.demo.DemoFacts;
import io.sluice.demo.PushedMmpFeed;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.ReplayInputWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice demo}: the whole pipeline on generated data, with no setup. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "The embedded default: starts a real single-node Kafka broker on 127.0.0.1, generates a "
                + "shop database's Debezium change stream and AppsFlyer-style events (with PII, duplicates, "
                + "late and malformed records) over several event hours, runs the whole pipeline until idle, "
                + "compacts the lake and prints what was masked, written and compacted, with queries to try.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final String MARKER = ".sluice-demo";
    /** Used only when SLUICE_PII_KEY is not set: good for a demo, never for real data. */
    private static final String DEMO_KEY = "sluice-demo-key-not-for-production";

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            defaultValue = "sluice-demo",
            description = "Where the demo writes its lake, topic dumps, input and configuration (default: "
                    + "${DEFAULT-VALUE}). Replaced on each run.")
    Path workDir;

    @Option(
            names = "--hours",
            paramLabel = "N",
            defaultValue = "4",
            description = "Event-time hours to spread the events over (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(
            names = "--scale",
            paramLabel = "N",
            defaultValue = "1",
            description = "Multiplies the number of users, orders and events (default: ${DEFAULT-VALUE}: about 3,000 "
                    + "records).")
    int scale;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (hours < 1 || hours > 48) {
            throw new ConfigException("--hours", "must be between 1 and 48");
        }
        if (scale < 1 || scale > 1000) {
            throw new ConfigException("--scale", "must be between 1 and 1000");
        }
        Path work = prepare(workDir.toAbsolutePath().normalize());
        String yaml = demoConfigText();
        Files.writeString(work.resolve("sluice-demo.yaml"), yaml, StandardCharsets.UTF_8);
        SluiceConfig config = ConfigLoader.parse(yaml);

        long hourMs = Duration.ofHours(1).toMillis();
        // Ends three hours ago, so late arrivals and retries (up to ~2.5 h after their event) are not in the future.
        long start = (System.currentTimeMillis() / hourMs - hours - 3) * hourMs;
        DemoDataGenerator.Generated input = new DemoDataGenerator(7, start, hours, scale).generate();
        Path inputFile = work.resolve("input/events.jsonl");
        ReplayInputWriter.write(input.records(), inputFile);

        Map<String, String> env = new HashMap<>(System.getenv());
        boolean demoKey = env.putIfAbsent("SLUICE_PII_KEY", DEMO_KEY) == null;
        Path lake = work.resolve("lake");
        Path topics = work.resolve("topics");
        PushedMmpFeed pushes = new PushedMmpFeed(work.resolve("run/spool"));
        EmbeddedRun.Result result = new EmbeddedRun(config, env, Duration.ofMinutes(5))
                .feedingWith(pushes)
                .run(input.records(), work.resolve("run"), lake, topics, work.resolve("run/state"));
        EmbeddedRun.deleteTree(work.resolve("run"));
        out().print(summary(result, input.facts(), pushes, work, lake, topics, inputFile, demoKey));
        return 0;
    }

    private static Path prepare(Path work) throws IOException {
        if (Files.exists(work)) {
            boolean empty;
            try (var list = Files.list(work)) {
                empty = list.findAny().isEmpty();
            }
            if (!empty && !Files.exists(work.resolve(MARKER))) {
                throw new ConfigException(
                        "--work-dir", work + " exists and was not made by sluice demo; choose another directory");
            }
            EmbeddedRun.deleteTree(work);
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(MARKER), "made by sluice demo; replaced on each run\n");
        return work;
    }

    private static String demoConfigText() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/io/sluice/demo/sluice-demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the demo configuration is missing from the application jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String summary(
            EmbeddedRun.Result result,
            DemoFacts facts,
            PushedMmpFeed pushes,
            Path work,
            Path lake,
            Path topics,
            Path inputFile,
            boolean demoKey) {
        RunSummary run = new RunSummary(result);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%nSluice demo: %,d records through the whole pipeline in %.1f s "
                        + "(real Kafka broker on 127.0.0.1, exactly_once_v2).%n%n",
                result.inputRecords(),
                result.took().toMillis() / 1000.0));
        sb.append(String.format(
                Locale.ROOT,
                "Generated: shop CDC %,d snapshot reads, %,d inserts, %,d updates, %,d deletes (+ tombstones); "
                        + "%,d AppsFlyer events;%n           %,d duplicates (re-delivered CDC, retried pushes), %,d late events, %,d malformed records;%n"
                        + "           hostile input: %,d events from clocks years ahead or at epoch 0, %,d with personal data only detectors find "
                        + "(full-width digits, a post-2020 RRN, nested JSON, a JSON number, a field name, a 2-series Mastercard, a zero-width space).%n%n",
                facts.snapshotReads(),
                facts.inserts(),
                facts.updates(),
                facts.deletes(),
                facts.mmpEvents(),
                facts.duplicates(),
                facts.late(),
                facts.malformed(),
                facts.implausibleTimes(),
                facts.hiddenPii()));
        sb.append(String.format(
                Locale.ROOT,
                "Received: the %,d AppsFlyer events were pushed over HTTP through sluice receive (POST /push/%s, bearer "
                        + "token), %,d answered 200 once the broker had them; the CDC changes were produced as Debezium "
                        + "would.%n%n",
                pushes.pushed(),
                PushedMmpFeed.APP,
                pushes.acknowledged()));
        run.topics(sb);
        run.masking(sb);
        if (demoKey) {
            sb.append("  (pseudonyms use the demo's built-in key; set SLUICE_PII_KEY to use your own)\n\n");
        }
        hostile(sb, topics);
        run.dedupAndAggregates(sb);

        run.lake(sb);
        String glob = lake.resolve("curated").toString();
        sb.append("Query the lake with DuckDB:\n");
        sb.append(String.format(
                "  duckdb -c \"SELECT event_name, platform, hour, count(*) AS events FROM read_parquet('%s/mmp_events/**/*.parquet', "
                        + "hive_partitioning=true) GROUP BY ALL ORDER BY ALL\"%n",
                glob));
        sb.append(String.format(
                "  duckdb -c \"SELECT e.platform, count(DISTINCT o.user_id) AS buyers FROM read_parquet('%1$s/shop_orders/**/*.parquet') o "
                        + "JOIN read_parquet('%1$s/mmp_events/**/*.parquet') e ON e.customer_user_id = o.user_id GROUP BY ALL\"%n",
                glob));
        sb.append("  (user ids are pseudonyms, the same in every source, so CDC and MMP data still join)\n");
        sb.append(String.format(
                "  duckdb -c \"SELECT id, version, city, tier, epoch_ms(valid_from) AS valid_from, epoch_ms(valid_to) AS valid_to, "
                        + "is_current FROM read_parquet('%1$s/dim_users_history/**/*.parquet') WHERE id IN (SELECT id FROM "
                        + "read_parquet('%1$s/dim_users_history/**/*.parquet') GROUP BY id HAVING count(*) > 2) ORDER BY id, version LIMIT 12\"%n",
                glob));
        sb.append("  (SCD2 history of users with three versions or more: one row per version, as it is)\n");
        sb.append(String.format(
                "Spark: spark.read.option(\"mergeSchema\", \"true\").parquet(\"%s/mmp_events\")%n%n", glob));
        String keyPrefix = demoKey ? "SLUICE_PII_KEY=" + DEMO_KEY + " " : "";
        sb.append(String.format(
                "Erase a user (GDPR/PIPA) from every lake table, here user 7 (--dry-run only counts; docs/erasure.md):%n"
                        + "  %s./sluice erase --config %s --lake %s --value 7 --column id --column user_id"
                        + " --column customer_user_id --column event_value --skip-topics --dry-run%n",
                keyPrefix, work.resolve("sluice-demo.yaml"), lake));
        sb.append(String.format(
                "The same lake as Apache Iceberg tables (a Hadoop catalog in the lake; add 'format: iceberg' under lake:"
                        + " in a copy of the configuration, docs/lake.md):%n"
                        + "  %s./sluice replay --config <that copy> --input %s --lake /tmp/iceberg-lake --out /tmp/topics%n%n",
                keyPrefix, inputFile));
        sb.append(String.format("Curated topic dumps: %s/<topic>.jsonl%n", topics));
        sb.append(String.format(
                "Replay the same input with your own policy:%n  %s./sluice replay --config %s --input %s --lake /tmp/lake --out /tmp/topics%n",
                demoKey ? "SLUICE_PII_KEY=" + DEMO_KEY + " " : "", work.resolve("sluice-demo.yaml"), inputFile));
        return sb.toString();
    }

    /** What became of each hostile event, read back from the curated topic: the fields the detectors and the gate worked on. */
    private static void hostile(StringBuilder sb, Path topics) {
        Path curated = topics.resolve("curated.mmp.events.jsonl");
        if (!Files.exists(curated)) {
            return;
        }
        sb.append("Hostile input, as curated (detectors and the event-time check at work):\n");
        try (java.util.stream.Stream<String> lines = Files.lines(curated)) {
            lines.map(DemoCommand::valueOf)
                    .filter(row -> row.path("campaign").asText().startsWith(DemoDataGenerator.HOSTILE_CAMPAIGN_PREFIX))
                    .forEach(row -> {
                        StringBuilder shown = new StringBuilder();
                        for (String field : List.of("af_sub1", "event_value", "extra", "__event_time_original")) {
                            if (row.hasNonNull(field)) {
                                shown.append(shown.isEmpty() ? "" : ", ")
                                        .append(field)
                                        .append('=')
                                        .append(row.get(field));
                            }
                        }
                        if (row.hasNonNull("__event_time_original")) {
                            shown.append(", __event_time=")
                                    .append(java.time.Instant.ofEpochMilli(
                                            row.get("__event_time").asLong()));
                        }
                        sb.append(String.format(
                                Locale.ROOT,
                                "  %-22s %s%n",
                                row.get("campaign")
                                        .asText()
                                        .substring(DemoDataGenerator.HOSTILE_CAMPAIGN_PREFIX.length()),
                                shown));
                    });
        } catch (IOException e) {
            sb.append("  (cannot read ").append(curated).append(")\n");
        }
        sb.append('\n');
    }

    private static com.fasterxml.jackson.databind.JsonNode valueOf(String line) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(line)
                    .path("value");
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
