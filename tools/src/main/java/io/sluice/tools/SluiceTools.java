package io.sluice.tools;

import io.sluice.cli.SluiceCommand;
import java.util.List;
import picocli.CommandLine;

/** The {@code sluice} executable with every command: production's and the tools' {@code demo}, {@code replay}, {@code bench}. */
public final class SluiceTools {
    private SluiceTools() {}

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(SluiceCommand.execute(commands(), args));
    }

    /** The whole command line, as {@code ./sluice} runs it. */
    public static CommandLine commandLine() {
        return SluiceCommand.commandLine(commands());
    }

    /** Runs the whole command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return SluiceCommand.execute(commands(), args);
    }

    private static List<Object> commands() {
        return List.of(new DemoCommand(), new ReplayCommand(), new BenchCommand(), new ReceiverBenchCommand());
    }
}
