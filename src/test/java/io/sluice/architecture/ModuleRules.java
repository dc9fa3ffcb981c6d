package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The module rules of docs/architecture.md as ArchUnit rules: which module may use which, no package cycles, and the
 * broker, Scala and Kafka Streams only where they belong. Each module is the packages it holds.
 */
final class ModuleRules {
    static final String[] SCHEMAS = {"io.sluice.schemas.."};
    static final String[] PII = {"io.sluice.pii.."};
    static final String[] SERDES = {"io.sluice.serdes.."};
    static final String[] DIMENSIONS = {"io.sluice.dimensions.."};
    static final String[] SINKS = {"io.sluice.sinks.."};
    static final String[] CONFIG = {"io.sluice.config.."};
    static final String[] TOPOLOGY = {"io.sluice.topology.."};
    static final String[] RECEIVER = {"io.sluice.receiver.."};
    static final String[] APPLICATION = {
        "io.sluice.cli..", "io.sluice.runtime..", "io.sluice.ops..", "io.sluice.metrics.."
    };
    static final String[] TOOLS = {
        "io.sluice.tools..", "io.sluice.bench..", "io.sluice.demo..", "io.sluice.replay..", "io.sluice.embedded.."
    };
    static final String[] BENCHMARKS = {"io.sluice.benchmarks.."};

    private ModuleRules() {}

    /** Which module may use which: the dependency direction is the architecture. */
    static ArchRule moduleDependencies() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                // the benchmarks module builds after the end-to-end tests, so its classes are not imported here
                .withOptionalLayers(true)
                .layer("schemas")
                .definedBy(SCHEMAS)
                .layer("pii")
                .definedBy(PII)
                .layer("serdes")
                .definedBy(SERDES)
                .layer("dimensions")
                .definedBy(DIMENSIONS)
                .layer("sinks")
                .definedBy(SINKS)
                .layer("config")
                .definedBy(CONFIG)
                .layer("topology")
                .definedBy(TOPOLOGY)
                .layer("receiver")
                .definedBy(RECEIVER)
                .layer("application")
                .definedBy(APPLICATION)
                .layer("tools")
                .definedBy(TOOLS)
                .layer("benchmarks")
                .definedBy(BENCHMARKS)
                .whereLayer("schemas")
                .mayNotAccessAnyLayer()
                .whereLayer("pii")
                .mayNotAccessAnyLayer()
                .whereLayer("serdes")
                .mayOnlyAccessLayers("schemas")
                .whereLayer("dimensions")
                .mayOnlyAccessLayers("schemas")
                .whereLayer("sinks")
                .mayOnlyAccessLayers("schemas", "serdes")
                .whereLayer("config")
                .mayOnlyAccessLayers("schemas", "pii", "serdes", "dimensions", "sinks")
                .whereLayer("topology")
                .mayOnlyAccessLayers("schemas", "pii", "serdes", "dimensions", "config")
                .whereLayer("receiver")
                .mayOnlyAccessLayers("schemas")
                .whereLayer("application")
                .mayOnlyAccessLayers(
                        "schemas", "pii", "serdes", "dimensions", "sinks", "config", "topology", "receiver")
                .whereLayer("tools")
                .mayOnlyBeAccessedByLayers("benchmarks")
                .whereLayer("benchmarks")
                .mayNotBeAccessedByAnyLayer();
    }

    /** No package of Sluice's depends on itself through others. */
    static ArchRule noPackageCycles() {
        return slices().matching("io.sluice.(**)").should().beFreeOfCycles();
    }

    /** The broker and Scala are the embedded runtime's, in the tools module: production runs against a real cluster. */
    static ArchRule brokerOnlyInTools() {
        return noClasses()
                .that()
                .resideOutsideOfPackages(concat(TOOLS, BENCHMARKS))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("kafka..", "scala..", "org.apache.kafka.server..", "org.apache.kafka.raft..")
                .because("the broker is for demo, replay and bench; production code never starts one");
    }

    /** The Kafka-free modules stay Kafka-free, and only the topology and the process around it use Kafka Streams. */
    static List<ArchRule> kafkaWhereItBelongs() {
        return List.of(
                noClasses()
                        .that()
                        .resideInAnyPackage(concat(SCHEMAS, PII, DIMENSIONS))
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("org.apache.kafka..")
                        .because("schemas, pii and dimensions are the Kafka-free core"),
                noClasses()
                        .that()
                        .resideInAnyPackage(concat(SERDES, SINKS, CONFIG, RECEIVER))
                        .should()
                        .dependOnClassesThat()
                        .resideInAnyPackage("org.apache.kafka.streams..")
                        .because("only the topology and the process around it use Kafka Streams"));
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
