package io.sluice.tools;

import io.sluice.bench.ReceiverLoad;
import io.sluice.config.ConfigException;
import io.sluice.replay.EmbeddedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice bench-receiver}: load on the push receiver, on this machine. */
@Command(
        name = "bench-receiver",
        mixinStandardHelpOptions = true,
        description = "Measures sluice receive (in its own JVM, against an embedded broker): pushes per second and the "
                + "p50/p99 acknowledgement latency at several concurrency levels (closed loop), the receiver's own CPU "
                + "time, then the latency at half the highest rate (open loop, from each push's scheduled time). "
                + "Prints a Markdown report with the targets.")
final class ReceiverBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            defaultValue = "15",
            description = "Length of each run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--concurrency",
            paramLabel = "N,N,...",
            split = ",",
            defaultValue = "1,4,16,64",
            description = "Concurrent senders of the closed-loop runs (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the broker, spool and logs go (default: a temporary directory, removed at the end).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new ConfigException(
                    seconds < 1 ? "--seconds" : "--concurrency", "must be positive (concurrency at most 1024)");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("sluice-bench-receiver");
        try {
            spec.commandLine().getOut().print(new ReceiverLoad(work, Duration.ofSeconds(seconds)).run(concurrency));
        } finally {
            if (workDir == null) {
                EmbeddedRun.deleteTree(work);
            }
        }
        return 0;
    }
}
