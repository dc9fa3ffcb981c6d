package io.sluice.tools;

import io.sluice.bench.BenchRunner;
import io.sluice.cli.ConfigOption;
import io.sluice.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench}: measures the pipeline step by step against bare baselines, on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures the pipeline step by step on an embedded Kafka broker (its own process; or "
                + "--cluster configured), with your configuration's sources, policy and stages, against bare "
                + "baselines: (a) bare consumer -> producer, (b) Kafka Streams pass-through, (c) + "
                + "decode/encode, (d) + masking, (e) + dedup, (f) + aggregates and dimensions, (g) (f) with "
                + "exactly-once; (h) a bare Parquet writer vs (i) the compactor on the same rows. Prints a "
                + "Markdown report: records/s, CPU-seconds per million records for the application and the "
                + "broker, latency at half the maximum rate, peak heap and RSS, state on disk, and the "
                + "targets. Takes a few minutes; run it on an otherwise idle machine.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Input records to generate and pre-load (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--rate",
            paramLabel = "R",
            description = "Records/s offered in the latency runs (default: half of each step's measured drain rate).")
    Double rate;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report to this file.")
    Path out;

    @Option(
            names = "--hours",
            paramLabel = "N",
            defaultValue = "4",
            description = "Event hours the input spans (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(
            names = "--latency-seconds",
            paramLabel = "S",
            defaultValue = "30",
            description = "How long each latency run offers load; 0 skips them (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--latency-steps",
            paramLabel = "LETTERS",
            defaultValue = "fg",
            description = "The steps whose latency to measure, of (c) to (g) (default: ${DEFAULT-VALUE}). A latency "
                    + "run leaves the broker and heap busier for the next step, so more of them make the drain "
                    + "figures after them less clean.")
    String latencySteps;

    @Option(
            names = "--steps",
            paramLabel = "LETTERS",
            defaultValue = "abcdefghi",
            description = "The ladder steps to run (default: ${DEFAULT-VALUE}); (h) and (i) need one of (c) to (g).")
    String steps;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the broker, state and lake go (default: a temporary directory, removed at the end).")
    Path workDir;

    @Option(
            names = "--cluster",
            paramLabel = "embedded|configured",
            defaultValue = "embedded",
            description = "Where the ladder runs: an embedded broker started for it (default), or the cluster "
                    + "kafka.bootstrap.servers names. The ladder writes generated records to the configured "
                    + "source topics and deletes every topic it made, so it refuses a cluster that already has "
                    + "any of them: use a cluster for benchmarking. Its clients connect with the kafka: section's"
                    + " bootstrap.servers, security.protocol, sasl.* and ssl.*; the brokers' CPU is not measured.")
    String cluster;

    @Option(
            names = "--step-timeout",
            paramLabel = "SECONDS",
            defaultValue = "900",
            description = "Give up if a step has not drained its input after this many seconds (default: "
                    + "${DEFAULT-VALUE}).")
    long stepTimeoutSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (records < 1 || hours < 1 || latencySeconds < 0 || (rate != null && rate <= 0)) {
            throw new ConfigException(
                    records < 1
                            ? "--records"
                            : hours < 1 ? "--hours" : latencySeconds < 0 ? "--latency-seconds" : "--rate",
                    "must be positive");
        }
        if (!cluster.equals("embedded") && !cluster.equals("configured")) {
            throw new ConfigException("--cluster", "is 'embedded' or 'configured', not '" + cluster + "'");
        }
        String report = BenchRunner.run(
                config.load(),
                System.getenv(),
                records,
                hours,
                rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate),
                latencySeconds,
                steps,
                stepTimeoutSeconds,
                workDir,
                command(),
                cluster.equals("configured"),
                latencySteps);
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().flush();
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
        return 0;
    }

    private String command() {
        // The whole command line as typed, from the top-level command: "bench" and any options before it included.
        List<String> args = spec.root().commandLine().getParseResult().originalArgs();
        return "sluice "
                + args.stream()
                        .map(a -> a.matches("[A-Za-z0-9_./:=,@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                        .collect(Collectors.joining(" "));
    }
}
