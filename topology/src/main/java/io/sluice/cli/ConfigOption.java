package io.sluice.cli;

import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by every command that reads a configuration. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The pipeline configuration (YAML). See the README, section Configuration.")
    Path file;

    SluiceConfig load() {
        return ConfigLoader.load(file);
    }
}
