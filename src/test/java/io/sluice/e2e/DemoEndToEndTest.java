package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.tools.SluiceTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice demo} runs on its own and leaves a lake whose content matches its summary. */
class DemoEndToEndTest {
    private static final Pattern HOUR_LINE = Pattern.compile(
            "^\\s+(\\w+)\\s+year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})\\s+\\d+ file\\(s\\)\\s+([\\d,]+) rows$",
            Pattern.MULTILINE);

    @TempDir
    static Path dir;

    static int exitCode;
    static String summary;
    static String errors;

    @BeforeAll
    static void runDemo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        exitCode = cli.execute("demo", "--work-dir", dir.resolve("demo").toString());
        summary = out.toString();
        errors = err.toString();
    }

    @Test
    void finishesOnItsOwnAndSaysWhatItDid() {
        assertThat(exitCode).as(errors).isZero();
        assertThat(summary)
                .contains(
                        "Masked at the gate",
                        "went to the dead-letter topic by reference",
                        "Snappy Parquet",
                        "duckdb -c",
                        "Curated and aggregate topics are Avro (Confluent wire format)",
                        "curated.mmp.events-value v");
    }

    @Test
    void pushesEveryMmpEventThroughTheReceiverAndEachIsAnsweredOnceDurable() {
        Matcher events =
                Pattern.compile("CDC [^;]*; ([\\d,]+) AppsFlyer events").matcher(summary);
        Matcher received = Pattern.compile(
                        "the ([\\d,]+) AppsFlyer events were pushed over HTTP through sluice receive "
                                + "\\(POST /push/demo-app, bearer token\\), ([\\d,]+) answered 200")
                .matcher(summary);
        assertThat(events.find()).as(summary).isTrue();
        assertThat(received.find()).as(summary).isTrue();
        assertThat(received.group(2)).isEqualTo(received.group(1));
        assertThat(Integer.parseInt(received.group(1).replace(",", "")))
                .as("every generated MMP record, the malformed ones too, went through the receiver")
                .isGreaterThanOrEqualTo(Integer.parseInt(events.group(1).replace(",", "")));
    }

    @Test
    void dropsExactlyTheDuplicatesItInjected() {
        Matcher injected = Pattern.compile("([\\d,]+) duplicates \\(re-delivered CDC, retried pushes\\)")
                .matcher(summary);
        Matcher dropped = Pattern.compile("Deduplicated: ([\\d,]+) duplicate\\(s\\) dropped")
                .matcher(summary);

        assertThat(injected.find()).as(summary).isTrue();
        assertThat(dropped.find()).as(summary).isTrue();
        assertThat(dropped.group(1)).isEqualTo(injected.group(1));
    }

    @Test
    void pushedEventsAreDeduplicatedWhereTheyAreReadWithoutDeclaringHowTheyAreKeyed() {
        Matcher routes = Pattern.compile("Of ([\\d,]+) event\\(s\\) deduplicated by fields, ([\\d,]+) were read in "
                        + "their identity's partition")
                .matcher(summary);

        assertThat(routes.find()).as(summary).isTrue();
        assertThat(routes.group(2))
                .as("sluice receive keys pushes by appsflyer_id, the identity's first field: none needs the trip")
                .isEqualTo(routes.group(1));
    }

    @Test
    void everyDistinctEventIsCountedInExactlyOneWindowOrAsLate() throws Exception {
        long counted = 0;
        for (String line : java.nio.file.Files.readAllLines(dir.resolve("demo/topics/agg.mmp_events_hourly.jsonl"))) {
            counted += new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(line)
                    .get("value")
                    .get("count")
                    .asLong();
        }
        Matcher late = Pattern.compile("([\\d,]+) record\\(s\\) arrived after their window's grace period")
                .matcher(summary);
        Matcher events = Pattern.compile("([\\d,]+) AppsFlyer events").matcher(summary);
        Matcher hostile = Pattern.compile(
                        "hostile input: ([\\d,]+) events from clocks years ahead or at epoch 0, ([\\d,]+) with personal data")
                .matcher(summary);

        assertThat(late.find() && events.find() && hostile.find()).as(summary).isTrue();
        long curatedHostile = Long.parseLong(hostile.group(1)) + Long.parseLong(hostile.group(2));
        assertThat(counted + Long.parseLong(late.group(1).replace(",", "")))
                .as("tumbling windows: each event once, or late")
                .isEqualTo(Long.parseLong(events.group(1).replace(",", "")) + curatedHostile);
        Matcher injected = Pattern.compile("([\\d,]+) late events").matcher(summary);
        assertThat(injected.find()).as(summary).isTrue();
        assertThat(Long.parseLong(late.group(1).replace(",", "")))
                .as("only the late events the demo injected miss their window (pushed through the receiver, no event "
                        + "re-timed to now closes the history's windows)")
                .isLessThanOrEqualTo(Long.parseLong(injected.group(1).replace(",", "")));
    }

    @Test
    void showsEachHostileEventAsCuratedWithWhatTheDetectorsFound() {
        String hostile = summary.substring(summary.indexOf("Hostile input, as curated"));
        assertThat(hostile)
                .containsPattern("full-width +af_sub1=\"주민번호 \\[kr-rrn\\]\"")
                .containsPattern("rrn-2020 +af_sub1=\"resident no \\[kr-rrn\\]\"")
                .containsPattern("mc-2-series +af_sub1=\"paid with \\[card\\]\"")
                .containsPattern("zero-width +af_sub1=\"mail me: \\[email\\]\"")
                .containsPattern("nested +event_value=.*\\[email\\].*\\[card\\]")
                .containsPattern("clock-ahead +.*__event_time_original=253402300799000")
                .containsPattern("clock-epoch0 +.*__event_time_original=0");
        assertThat(hostile).doesNotContain("@example.com", "2223 0000 4841 0010", "4263982640269299");
        assertThat(summary).contains("number-out-of-range");
    }

    @Test
    void lakeRowCountsPerHourMatchTheSummary() throws Exception {
        DuckDbLake duck = new DuckDbLake(dir.resolve("demo/lake"));
        List<List<Object>> printed = new ArrayList<>();
        Matcher m = HOUR_LINE.matcher(summary);
        while (m.find()) {
            printed.add(List.of(
                    m.group(1),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    Long.parseLong(m.group(6).replace(",", ""))));
        }
        assertThat(printed).hasSizeGreaterThanOrEqualTo(5 * 4);

        List<List<Object>> read = new ArrayList<>();
        for (String table :
                List.of("agg_mmp_events_hourly", "dim_users_history", "mmp_events", "shop_orders", "shop_users")) {
            for (List<Object> row : duck.query("SELECT year, month, day, hour, count(*) FROM " + duck.table(table)
                    + " GROUP BY ALL ORDER BY ALL")) {
                List<Object> withTable = new ArrayList<>();
                withTable.add(table);
                withTable.addAll(row);
                read.add(withTable);
            }
        }
        assertThat(read).containsExactlyElementsOf(printed);
    }

    @Test
    void noRawPiiReachesTheLake() throws Exception {
        DuckDbLake duck = new DuckDbLake(dir.resolve("demo/lake"));

        assertThat(duck.query("SELECT count(*) FROM " + duck.table("shop_users") + " WHERE full_name IS NOT NULL"))
                .as("redacted")
                .containsExactly(List.of(0L));
        assertThat(duck.query("SELECT count(*) FROM " + duck.table("shop_users")
                        + " WHERE email LIKE '%@%' OR id NOT LIKE 'k1:%'"
                        + " OR phone NOT LIKE '*********____' OR birth_date NOT LIKE '%-%'"))
                .containsExactly(List.of(0L));
        assertThat(duck.query("SELECT count(*) FROM " + duck.table("mmp_events") + " WHERE ip NOT LIKE '%.0/24'"
                        + " OR event_value LIKE '%@%' OR coalesce(af_sub1, '') LIKE '%@%'"))
                .containsExactly(List.of(0L));
        assertThat(duck.query(
                        "SELECT count(*) FROM " + duck.table("shop_orders") + " WHERE delivery_note LIKE '%010-%'"))
                .containsExactly(List.of(0L));
        assertThat(summary).contains("Detectors caught");
    }

    @Test
    void keepsAnScd2HistoryOfUsersWhoseCurrentRowsMatchTheCuratedState() throws Exception {
        DuckDbLake duck = new DuckDbLake(dir.resolve("demo/lake"));
        String versions = duck.table("dim_users_history");

        assertThat(summary).contains("Versioned: ");
        assertThat(duck.query("SELECT count(*) = count(DISTINCT scd_id), count(*) > 0 FROM " + versions))
                .as("one row per version, read as it is (closing a version re-emits its row)")
                .containsExactly(List.of(true, true));
        Matcher printed =
                Pattern.compile("duckdb -c \"([^\"]*dim_users_history[^\"]*)\"").matcher(summary);
        assertThat(printed.find()).as(summary).isTrue();
        assertThat(duck.query(printed.group(1)))
                .as("the history query the demo prints runs and shows versions")
                .isNotEmpty();
        assertThat(duck.query("SELECT count(*) FROM " + versions + " WHERE is_current GROUP BY id HAVING count(*) > 1"))
                .as("at most one current version per key")
                .isEmpty();
        assertThat(duck.query("SELECT count(*) FROM " + versions + " v JOIN " + versions
                        + " w ON v.id = w.id AND w.version = v.version + 1"
                        + " WHERE v.valid_to IS DISTINCT FROM w.valid_from"))
                .as("versions of a key are contiguous")
                .containsExactly(List.of(0L));
        assertThat(duck.query("SELECT count(*) FROM " + versions + " WHERE id NOT LIKE 'k1:%' OR email LIKE '%@%'"))
                .as("history holds masked values only")
                .containsExactly(List.of(0L));
        assertThat(duck.query("SELECT count(DISTINCT id) FROM " + versions + " WHERE version > 1")
                        .get(0)
                        .get(0))
                .as("some users changed a tracked column")
                .isNotEqualTo(0L);
    }

    @Test
    void eraseRemovesOneUserFromEveryTableAndChangesNothingElse() throws Exception {
        java.nio.file.Path lake = dir.resolve("erased-lake");
        copyTree(dir.resolve("demo/lake"), lake);
        String pseudonym = new io.sluice.pii.Pseudonymizer(
                        io.sluice.pii.PiiKey.fromText("1", "sluice-demo-key-not-for-production"))
                .pseudonym("7");
        Map<String, String> carries = Map.of(
                "shop_users", "id = '" + pseudonym + "'",
                "dim_users_history", "id = '" + pseudonym + "'",
                "shop_orders", "user_id = '" + pseudonym + "'",
                "mmp_events",
                        "customer_user_id = '" + pseudonym + "' OR coalesce(event_value, '') LIKE '%" + pseudonym
                                + "%'");
        DuckDbLake duck = new DuckDbLake(lake);
        Map<String, List<Object>> before = new java.util.TreeMap<>();
        for (String table : carries.keySet()) {
            before.put(
                    table,
                    duck.query("SELECT count(*), count(*) FILTER (WHERE " + carries.get(table) + ") FROM "
                                    + duck.table(table))
                            .get(0));
        }
        long aggregatesBefore = (Long) duck.query("SELECT count(*) FROM " + duck.table("agg_mmp_events_hourly"))
                .get(0)
                .get(0);

        java.io.StringWriter printed = new java.io.StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new java.io.PrintWriter(printed, true));
        int exit = cli.execute(
                "erase",
                "--config",
                dir.resolve("demo/sluice-demo.yaml").toString(),
                "--lake",
                lake.toString(),
                "--pseudonym",
                pseudonym,
                "--column",
                "id",
                "--column",
                "user_id",
                "--column",
                "customer_user_id",
                "--column",
                "event_value",
                "--skip-topics",
                "--reason",
                "e2e");

        assertThat(exit).as(printed.toString()).isZero();
        for (String table : carries.keySet()) {
            List<Object> after = duck.query("SELECT count(*), count(*) FILTER (WHERE " + carries.get(table) + ") FROM "
                            + duck.table(table))
                    .get(0);
            long total = (Long) before.get(table).get(0);
            long subject = (Long) before.get(table).get(1);
            assertThat(subject).as(table + ": user 7 was there").isPositive();
            assertThat(after)
                    .as(table + ": user 7 gone, every other row still there")
                    .containsExactly(total - subject, 0L);
        }
        assertThat(duck.query("SELECT count(*) FROM " + duck.table("agg_mmp_events_hourly")))
                .containsExactly(List.of(aggregatesBefore));
        String audit;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(lake.resolve("_erasure"))) {
            audit = java.nio.file.Files.readString(files.findFirst().orElseThrow());
        }
        assertThat(audit)
                .contains("\"shop_users\"", "pseudonymSha256", "\"reason\" : \"e2e\"")
                .doesNotContain(pseudonym);
    }

    @Test
    void theDemosInputAsIcebergTablesLosesOneUserToEraseAndNothingElse() throws Exception {
        java.nio.file.Path run = dir.resolve("iceberg");
        java.nio.file.Files.createDirectories(run);
        java.nio.file.Path key = run.resolve("pii.key");
        java.nio.file.Files.writeString(key, "sluice-demo-key-not-for-production");
        String yaml = java.nio.file.Files.readString(dir.resolve("demo/sluice-demo.yaml"))
                .replace("key: { env: SLUICE_PII_KEY, id: \"1\" }", "key: { file: \"" + key + "\", id: \"1\" }")
                .replace("  uri: file:///var/lib/sluice/lake", "  format: iceberg\n  uri: file:///var/lib/sluice/lake");
        java.nio.file.Path config = run.resolve("sluice-iceberg.yaml");
        java.nio.file.Files.writeString(config, yaml);
        java.nio.file.Path lake = run.resolve("lake");
        CommandLine replay = SluiceTools.commandLine();
        StringWriter replayErrors = new StringWriter();
        replay.setErr(new PrintWriter(replayErrors, true));
        replay.setOut(new PrintWriter(new StringWriter(), true));
        int replayed = replay.execute(
                "replay",
                "--config",
                config.toString(),
                "--input",
                dir.resolve("demo/input/events.jsonl").toString(),
                "--lake",
                lake.toString(),
                "--out",
                run.resolve("topics").toString());
        assertThat(replayed).as(replayErrors.toString()).isZero();
        String pseudonym = new io.sluice.pii.Pseudonymizer(
                        io.sluice.pii.PiiKey.fromText("1", "sluice-demo-key-not-for-production"))
                .pseudonym("7");
        List<String> tables =
                List.of("shop_users", "shop_users_current", "dim_users_history", "shop_orders", "mmp_events");
        Map<String, long[]> before = new java.util.TreeMap<>();
        for (String table : tables) {
            before.put(table, icebergCounts(lake, table, pseudonym));
        }

        StringWriter printed = new StringWriter();
        CommandLine erase = SluiceTools.commandLine();
        erase.setOut(new PrintWriter(printed, true));
        int exit = erase.execute(
                "erase",
                "--config",
                config.toString(),
                "--lake",
                lake.toString(),
                "--pseudonym",
                pseudonym,
                "--column",
                "id",
                "--column",
                "user_id",
                "--column",
                "customer_user_id",
                "--column",
                "event_value",
                "--skip-topics");

        assertThat(exit).as(printed.toString()).isZero();
        for (String table : tables) {
            long[] was = before.get(table);
            assertThat(was[1]).as(table + ": user 7 was there").isPositive();
            assertThat(icebergCounts(lake, table, pseudonym))
                    .as(table + ": user 7 gone, every other row still there")
                    .containsExactly(was[0] - was[1], 0L);
        }
    }

    /** Rows of an Iceberg table of the lake, and of those the ones carrying the pseudonym in any column. */
    private static long[] icebergCounts(java.nio.file.Path lake, String table, String pseudonym) throws Exception {
        org.apache.iceberg.hadoop.HadoopCatalog catalog = new org.apache.iceberg.hadoop.HadoopCatalog(
                new org.apache.hadoop.conf.Configuration(),
                lake.resolve("iceberg").toString());
        org.apache.iceberg.Table iceberg =
                catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("sluice", table));
        long[] counts = new long[2];
        try (var records = org.apache.iceberg.data.IcebergGenerics.read(iceberg).build()) {
            for (org.apache.iceberg.data.Record r : records) {
                counts[0]++;
                boolean carries = false;
                for (int i = 0; i < r.size(); i++) {
                    Object value = r.get(i);
                    carries |= value != null && value.toString().contains(pseudonym);
                }
                counts[1] += carries ? 1 : 0;
            }
        }
        return counts;
    }

    private static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path file : files.toList()) {
                java.nio.file.Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }
}
