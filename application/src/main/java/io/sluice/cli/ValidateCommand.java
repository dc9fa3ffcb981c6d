package io.sluice.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.config.SluiceConfig;
import io.sluice.pii.MaskingPolicy;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyMetrics;
import io.sluice.topology.TopologyNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice validate}: checks a configuration and its masking policy without connecting to anything. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks a configuration and its masking policy: unknown keys, missing keys, bad values, "
                + "conflicting rules, and that the PII keys and every {env}/{file} reference (kafka:, "
                + "schemaRegistry:, lake.hadoop:, the /dimensions token) can be read; warns where unlisted: "
                + "keep lets personal data through. Connects to nothing. Exit code 0 if valid, 2 with a "
                + "message naming the key if not.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        SluiceConfig loaded = config.load();
        MaskingPolicy policy = loaded.pii().toPolicy(System.getenv());
        // Building contacts no registry; resolving its settings checks that its credentials can be read.
        SchemaRegistry registry = loaded.schemaRegistry() != null
                ? loaded.schemaRegistry().connect(System.getenv())
                : SchemaRegistry.connect(RegistrySettings.of(SchemaRegistry.MOCK_PREFIX + "validate"));
        loaded.lake().hadoopSettings(System.getenv()); // the lake's credentials can be read
        // Sluice's own kafka: settings, and every {env}/{file} reference in kafka: can be read
        io.sluice.runtime.StreamsSettings.of(loaded, java.nio.file.Path.of("sluice-state"));
        if (loaded.http().dimensions().enabled()) {
            RunCommand.dimensionsToken(loaded.http()); // the /dimensions token can be read and is long enough
        }
        SluiceTopology.build(loaded, policy, new TopologyMetrics(new SimpleMeterRegistry()), registry)
                .describe();
        out().printf(
                        "%s is valid: %d source(s) reading %d topic(s); %d masking rule(s), unlisted columns are %s.%n",
                        config.file,
                        loaded.sources().size(),
                        TopologyNames.inputs(loaded).size(),
                        policy.rules().size(),
                        policy.unlisted() == io.sluice.pii.UnlistedColumns.DROP ? "dropped" : "kept");
        out().println("Writes: " + String.join(", ", TopologyNames.outputs(loaded)) + " and the lake at "
                + loaded.lake().uri());
        for (String warning : PolicyWarnings.of(loaded, policy)) {
            out().println("warning: " + warning);
        }
        return 0;
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
