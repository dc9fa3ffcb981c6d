package io.sluice.e2e;

import io.sluice.cli.SluiceCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The crash scenario on a local lake, {@code sluice run} started from the test classpath. */
class ExactlyOnceCrashEndToEndTest extends LakeCrashEndToEnd {

    @Override
    String lakeSection() {
        return "{ uri: \"%s\", flush: { interval: 1s }, compaction: { grace: 0m, interval: 2s } }"
                .formatted(dir.resolve("lake"));
    }

    @Override
    List<String> sluice(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SluiceCommand.class.getName()));
        command.addAll(arguments);
        return command;
    }

    @Override
    Path localLake() {
        return dir.resolve("lake");
    }
}
