package io.sluice.cli;

import io.sluice.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} executable: one command per job. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCommand.Version.class,
        description = {
            "Real-time ingestion on Kafka Streams: Debezium CDC and MMP events in, PII masked at the "
                    + "gate, curated Kafka topics and an hourly Parquet lake out.",
            "",
            "Exit codes: 0 success, 2 bad configuration or arguments, 1 runtime failure."
        },
        subcommands = {
            RunCommand.class,
            ReceiveCommand.class,
            CompactCommand.class,
            EraseCommand.class,
            ValidateCommand.class
        })
public final class SluiceCommand implements Runnable {
    /** Exit code for a bad configuration or bad arguments. */
    public static final int EXIT_CONFIG = 2;
    /** Exit code for a failure while running. */
    public static final int EXIT_RUNTIME = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return execute(List.of(), args);
    }

    /** Runs the command line with more commands (the tools' demo, bench, replay) and returns its exit code. */
    public static int execute(List<Object> moreCommands, String... args) {
        CommandLine cli = commandLine(moreCommands);
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** The configured command line, with Sluice's exit codes and error messages. */
    public static CommandLine commandLine() {
        return commandLine(List.of());
    }

    /**
     * The configured command line with more commands after the production ones: the tools module adds {@code demo},
     * {@code bench} and {@code replay}, which the production jar leaves out.
     */
    public static CommandLine commandLine(List<Object> moreCommands) {
        CommandLine cli = new CommandLine(new SluiceCommand());
        moreCommands.forEach(cli::addSubcommand);
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        // One writer per stream for the whole command tree, so that everything printed is flushed at exit.
        cli.setOut(new PrintWriter(
                new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(
                new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof ConfigException) {
                err.println("sluice: configuration error: " + e.getMessage());
                err.flush();
                return EXIT_CONFIG;
            }
            err.println("sluice: " + commandLine.getCommandName() + " failed: " + describe(e));
            err.flush();
            org.slf4j.LoggerFactory.getLogger(SluiceCommand.class).debug("failure", e);
            return EXIT_RUNTIME;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("sluice: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return EXIT_CONFIG;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            sb.append(": ").append(cause.getMessage());
        }
        return sb.toString();
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SluiceCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "sluice " + (version == null ? "development build" : version)
                        + " (Kafka Streams " + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ", Java "
                        + System.getProperty("java.version") + ")"
            };
        }
    }
}
