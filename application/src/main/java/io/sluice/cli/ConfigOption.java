package io.sluice.cli;

import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by every command that reads a configuration. */
public final class ConfigOption {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The pipeline configuration (YAML). See docs/configuration.md.")
    Path file;

    /** The configuration the option names, validated. */
    public SluiceConfig load() {
        return ConfigLoader.load(file);
    }
}
