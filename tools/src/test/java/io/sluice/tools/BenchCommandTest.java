package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice bench} end to end on a real broker in its own process, with a tiny input. */
class BenchCommandTest {
    private static final String CONFIG = """
            kafka: { bootstrap.servers: "localhost:9092", application.id: shop-analytics }
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              key: { env: BENCH_COMMAND_TEST_KEY_NOT_SET, id: "1" }
              rules:
                - { source: mmp, column: "*", action: keep }
                - { source: mmp, column: appsflyer_id, action: hash }
                - { table: users, column: "*", action: keep }
                - { table: users, column: email, action: hash }
            dedup: [ { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h } ]
            aggregates:
              - { name: events_hourly, source: mmp, window: { size: 1h, grace: 10m }, groupBy: [event_name], measures: [count] }
            dimensions: [ { source: shop, table: users, key: [id], track: [city, tier] } ]
            lake: { uri: /tmp/unused-lake }
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void runsEveryLadderStepAndReportsEachOnesThroughput() throws IOException {
        Path config = Files.writeString(dir.resolve("bench.yaml"), CONFIG);
        Path report = dir.resolve("report.md");
        StringWriter out = new StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));

        int exit = cli.execute(
                "bench",
                "--config",
                config.toString(),
                "--records",
                "2000",
                "--hours",
                "2",
                "--latency-seconds",
                "2",
                "--out",
                report.toString(),
                "--work-dir",
                dir.resolve("work").toString());

        assertThat(exit).isZero();
        String printed = out.toString();
        assertThat(Files.readString(report, StandardCharsets.UTF_8)).isEqualTo(printed);
        List<String> rows = printed.lines().filter(l -> l.startsWith("| (")).toList();
        assertThat(rows)
                .extracting(r -> r.substring(2, 5))
                .containsExactly("(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)");
        for (String row : rows) {
            String recordsPerSecond = row.split("\\|")[3].trim().replace(",", "");
            assertThat(Double.parseDouble(recordsPerSecond)).as(row).isPositive();
        }
        assertThat(printed)
                .contains(
                        "sluice bench --config",
                        "--records 2000",
                        "Load average",
                        "## Targets",
                        "BENCH_COMMAND_TEST_KEY_NOT_SET was not set");
        assertThat(rows.get(6)).as("(g) has its latency").containsPattern("\\| \\d[\\d,]* / \\d[\\d,]* ms \\|");
    }
}
