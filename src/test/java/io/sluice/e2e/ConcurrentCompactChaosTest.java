package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConfigLoader;
import io.sluice.replay.EmbeddedRun;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.S3ProxyLake;
import io.sluice.tools.SluiceTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Two {@code sluice compact} passes started at the same moment on one lake, local and on S3
 * (S3Proxy), over tier-0 objects the pipeline wrote, in two rounds: the second round's objects
 * (the later offsets, the late events among them) arrive after the first round compacted their
 * hours. Compared with a single pass over a copy of the same objects, and at the end with the
 * uninterrupted run: the same Parquet rows per hour, none twice, nothing left in raw/, _staging/
 * or the lease, and a pass that found the lease held ended cleanly (exit code 0).
 */
class ConcurrentCompactChaosTest extends ChaosEndToEnd {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentCompactChaosTest.class);
    private static S3ProxyLake s3;
    private List<Path> tier0;
    private Path written;

    @Test
    void twoCompactPassesStartedTogetherOnALocalLakeEndAsOnePass() throws Exception {
        racedAgainstOnePass(
                "local",
                name -> lakeSection(dir.resolve("lakes").resolve(name).toUri()),
                name -> LakeFileSystem.open(
                        dir.resolve("lakes").resolve(name).toUri().toString()));
    }

    @Test
    void twoCompactPassesStartedTogetherOnAnS3LakeEndAsOnePass() throws Exception {
        if (s3 == null) {
            s3 = S3ProxyLake.start();
        }
        racedAgainstOnePass("s3", this::s3LakeSection, s3::open);
    }

    @AfterAll
    void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    private void racedAgainstOnePass(
            String kind, Function<String, String> lakeSections, Function<String, LakeFileSystem> lakes)
            throws Exception {
        List<Path> objects = tier0FromThePipeline();
        String single = kind + "-single";
        String raced = kind + "-raced";
        Path singleConfig = Files.writeString(
                dir.resolve(single + ".yaml"),
                configuration(kafka.bootstrapServers(), registry.url(), lakeSections.apply(single)));
        Path racedConfig = Files.writeString(
                dir.resolve(raced + ".yaml"),
                configuration(kafka.bootstrapServers(), registry.url(), lakeSections.apply(raced)));
        int skipped = 0;
        List<List<Path>> rounds =
                List.of(objects.subList(0, objects.size() / 2), objects.subList(objects.size() / 2, objects.size()));
        for (int round = 0; round < rounds.size(); round++) {
            String at = kind + " round " + (round + 1);
            upload(rounds.get(round), lakes.apply(single));
            upload(rounds.get(round), lakes.apply(raced));
            assertThat(compact(singleConfig).exit())
                    .as(at + ": the single pass")
                    .isZero();

            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<Pass>> passes = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                passes.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(together);
                    return compact(racedConfig);
                }));
            }
            List<Pass> results = new ArrayList<>();
            for (CompletableFuture<Pass> pass : passes) {
                results.add(pass.get(3, TimeUnit.MINUTES));
            }
            results.forEach(r -> LOG.info(
                    "{}: exit {}, {}",
                    at,
                    r.exit(),
                    r.out().lines().reduce((a, b) -> b).orElse("")));
            assertThat(results).as(at + ": both passes end cleanly").allMatch(r -> r.exit() == 0);
            long held = results.stream().filter(Pass::foundLeaseHeld).count();
            assertThat(held).as(at + ": at most one pass stands aside").isLessThan(2);
            skipped += (int) held;

            Map<String, List<String>> expected = LakeRowsByHour.of(lakes.apply(single));
            Map<String, List<String>> actual = LakeRowsByHour.of(lakes.apply(raced));
            assertThat(actual)
                    .as(at + ": the same Parquet rows per hour as one pass")
                    .isEqualTo(expected);
            actual.forEach((hour, rows) ->
                    assertThat(rows).as(at + ": " + hour + " has no row twice").doesNotHaveDuplicates());
            assertThat(filesUnder(lakes.apply(raced)))
                    .as(at + ": nothing left behind")
                    .noneMatch(f -> f.startsWith("raw/") || f.startsWith("_staging/") || f.startsWith("_lease/"));
        }
        assertThat(LakeRowsByHour.of(lakes.apply(raced)))
                .as(kind + ": the same rows as the uninterrupted run")
                .isEqualTo(uninterrupted.lake());
        LOG.info(
                "{}: {} tier-0 objects in 2 rounds, {} pass(es) found the lease held; lake {}",
                kind,
                objects.size(),
                skipped,
                uninterrupted.lakeCounts());
    }

    /** Tier-0 objects of the whole input as the pipeline writes them, not compacted: {@code sluice replay}'s first half. */
    private List<Path> tier0FromThePipeline() throws Exception {
        if (tier0 == null) {
            written = dir.resolve("tier0");
            EmbeddedRun run = new EmbeddedRun(ConfigLoader.load(config), System.getenv(), Duration.ofMinutes(3));
            run.process(kafka, input.records(), written, dir.resolve("tier0-state"));
            run.close();
            // In offset order: the second round brings later offsets, among them the late events for hours already
            // compacted.
            tier0 = Tier0Objects.under(written).stream()
                    .sorted(java.util.Comparator.comparingLong(ConcurrentCompactChaosTest::firstOffset))
                    .toList();
            assertThat(tier0).as("tier-0 objects over several hours").hasSizeGreaterThan(4);
        }
        return tier0;
    }

    private static long firstOffset(Path object) {
        String[] parts = object.getFileName().toString().split("\\+");
        return Long.parseLong(parts[parts.length - 2]);
    }

    private void upload(List<Path> objects, LakeFileSystem lake) throws Exception {
        for (Path object : objects) {
            String relative = written.relativize(object).toString();
            // Streamed, not copyFromLocalFile: S3A's bulk upload needs commons-collections4, which the lake does not
            // ship.
            try (var out = lake.fs().create(new org.apache.hadoop.fs.Path(lake.root(), relative), false)) {
                Files.copy(object, out);
            }
        }
    }

    private static List<String> filesUnder(LakeFileSystem lake) throws Exception {
        List<String> files = new ArrayList<>();
        String root = lake.root().toUri().getPath().replaceAll("/+$", "") + "/";
        var it = lake.fs().listFiles(lake.root(), true);
        while (it.hasNext()) {
            files.add(it.next().getPath().toUri().getPath().substring(root.length()));
        }
        return files;
    }

    /** One {@code sluice compact}, in this JVM, as the CronJob runs it. */
    private static Pass compact(Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("compact", "--config", config.toString());
        return new Pass(exit, out + err.toString());
    }

    /** A pass's exit code and what it printed. */
    private record Pass(int exit, String out) {
        boolean foundLeaseHeld() {
            return out.contains("holds the lake's lease");
        }
    }

    private String s3LakeSection(String name) {
        StringBuilder hadoop = new StringBuilder();
        for (Map.Entry<String, String> setting : s3.settings().entrySet()) {
            String value = "\"" + setting.getValue() + "\"";
            if (setting.getKey().endsWith(".key")) { // credentials only by reference, as in production
                try {
                    value = "{ file: \"" + Files.writeString(dir.resolve(setting.getKey()), setting.getValue())
                            + "\" }";
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            hadoop.append(hadoop.isEmpty() ? "" : ", ")
                    .append('"')
                    .append(setting.getKey())
                    .append("\": ")
                    .append(value);
        }
        return "{ uri: \"%s\", compaction: { grace: 0m, leaseTtl: 6s }, hadoop: { %s } }"
                .formatted(s3.uri(name), hadoop);
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
