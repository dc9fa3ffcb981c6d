package io.sluice.tools;

import io.sluice.cli.ConfigOption;
import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import io.sluice.replay.EmbeddedRun;
import io.sluice.replay.InputRecord;
import io.sluice.replay.ReplayInputReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice replay}: the full pipeline over recorded events, on the embedded broker. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the full pipeline on an embedded Kafka broker over recorded events until idle, "
                    + "compacts every hour (the input is taken as complete, so no grace period is awaited) and "
                    + "dumps every topic Sluice writes to DIR/<topic>.jsonl. For trying a policy on sample data.",
            "",
            "Input lines: {\"topic\": ..., \"key\": <JSON or null>, \"value\": <JSON or null>, "
                    + "\"timestamp\": <epoch ms, optional>, \"partition\": <optional>}. A JSON string value is "
                    + "sent as its raw UTF-8 bytes, so malformed payloads can be replayed."
        })
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "[TOPIC=]FILE",
            description = "Recorded events (JSON Lines). With TOPIC=, every line goes to TOPIC; without, each line "
                    + "names its topic. Repeatable.")
    List<String> inputs;

    @Option(names = "--lake", required = true, paramLabel = "DIR", description = "Where the lake is written.")
    Path lake;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the topic dumps are written.")
    Path out;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Keep the Kafka Streams state here (default: a temporary directory, removed at exit).")
    Path stateDir;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Give up if the pipeline is not idle after this many seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        SluiceConfig loaded = config.load();
        List<InputRecord> records = new ArrayList<>();
        for (String input : inputs) {
            int eq = input.indexOf('=');
            String topic = eq > 0 ? input.substring(0, eq) : null;
            Path file = Path.of(eq > 0 ? input.substring(eq + 1) : input);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--input", "file " + file + " does not exist");
            }
            records.addAll(ReplayInputReader.read(topic, file));
        }
        Path work = Files.createTempDirectory("sluice-replay-");
        Path state = stateDir != null ? stateDir : work.resolve("state");
        try {
            EmbeddedRun.Result result = new EmbeddedRun(loaded, System.getenv(), Duration.ofSeconds(timeoutSeconds))
                    .run(records, work, lake, out, state);
            out().print(new RunSummary(result).replay());
            return 0;
        } finally {
            EmbeddedRun.deleteTree(work);
        }
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
