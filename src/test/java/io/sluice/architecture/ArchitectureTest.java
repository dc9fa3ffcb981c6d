package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.sluice.sinks.LakeSink;
import io.sluice.topology.MisplacedLakeAccess;
import io.sluice.topology.SluiceTopology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules hold for every production class of every module, and catch a class moved across a boundary. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ArchitectureTest::notATestJar)
                .importPackages("io.sluice");
    }

    @Test
    void everyModuleUsesOnlyTheModulesItMay() {
        assertThat(production.stream().map(c -> c.getPackageName()).distinct())
                .as("the importer sees every module")
                .contains(
                        "io.sluice.schemas",
                        "io.sluice.topology",
                        "io.sluice.sinks",
                        "io.sluice.cli",
                        "io.sluice.bench");
        ModuleRules.moduleDependencies().check(production);
    }

    @Test
    void noPackageDependsOnItself() {
        ModuleRules.noPackageCycles().check(production);
    }

    @Test
    void onlyTheToolsStartABroker() {
        ModuleRules.brokerOnlyInTools().check(production);
    }

    @Test
    void kafkaStreamsOnlyInTheTopologyAndTheApplication() {
        ModuleRules.kafkaWhereItBelongs().forEach(rule -> rule.check(production));
    }

    @Test
    void aTopologyClassUsingTheLakeSinkBreaksTheBuild() {
        JavaClasses withMisplaced =
                new ClassFileImporter().importClasses(MisplacedLakeAccess.class, LakeSink.class, SluiceTopology.class);

        EvaluationResult result = ModuleRules.moduleDependencies().evaluate(withMisplaced);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line)
                        .contains(MisplacedLakeAccess.class.getName())
                        .contains(LakeSink.class.getName()));
    }

    @Test
    void aCycleBetweenPackagesBreaksTheBuild() {
        ArchRule rule = ModuleRules.noPackageCycles();
        JavaClasses cycle = new ClassFileImporter()
                .importClasses(MisplacedLakeAccess.class, LakeSink.class, io.sluice.sinks.LakeSinkUsingTopology.class);

        assertThat(rule.evaluate(cycle).hasViolation()).isTrue();
    }

    private static boolean notATestJar(Location location) {
        // the sinks and serdes test-jars (S3 server, registry outage) carry test fixtures, not production code
        return !location.contains("-tests.jar");
    }
}
