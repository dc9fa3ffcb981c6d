package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import io.sluice.config.SluiceConfig;
import io.sluice.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice bench --cluster configured} on a real broker that is not the bench's own. */
class ConfiguredClusterTest {
    @TempDir
    static Path brokerDir;

    private static EmbeddedKafka kafka;

    @TempDir
    Path work;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void runsTheLadderOnTheConfiguredClusterAndSaysItsBrokerCpuIsNotMeasured() throws Exception {
        SluiceConfig config = onTheTestBroker(BenchConfigs.full());

        String report = BenchRunner.run(
                config,
                Map.of(),
                2_000,
                2,
                OptionalDouble.empty(),
                0,
                "ab",
                300,
                work,
                "sluice bench --cluster configured --steps ab",
                true,
                "fg");

        assertThat(report)
                .contains("the configured Kafka cluster (" + kafka.bootstrapServers())
                .containsPattern("\\| \\(a\\) \\|[^\\n]*\\| [\\d,]+ \\| [\\d.]+ \\| 0\\.0 \\|")
                .containsPattern("\\| \\(b\\) \\|[^\\n]*\\| [\\d,]+ \\|");
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get())
                    .as("the ladder removed what it made, so it can run again")
                    .noneMatch(t -> t.startsWith(LadderStep.APPLICATION_ID_PREFIX) || t.startsWith("curated."))
                    .doesNotContain("mmp.appsflyer.events", "shop.public.users");
        }
    }

    @Test
    void refusesAClusterThatAlreadyHasATopicTheLadderWouldWriteToAndDelete() throws Exception {
        SluiceConfig config = onTheTestBroker(BenchConfigs.full());
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("shop.public.users", 1, (short) 1)))
                    .all()
                    .get();
            try {
                assertThatThrownBy(() -> BenchRunner.run(
                                config,
                                Map.of(),
                                2_000,
                                2,
                                OptionalDouble.empty(),
                                0,
                                "ab",
                                300,
                                work,
                                "sluice bench --cluster configured",
                                true,
                                "fg"))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("--cluster")
                        .hasMessageContaining("shop.public.users");
                assertThat(admin.listTopics().names().get())
                        .as("nothing created or deleted")
                        .contains("shop.public.users")
                        .noneMatch(t -> t.startsWith(LadderStep.APPLICATION_ID_PREFIX));
            } finally {
                admin.deleteTopics(Set.of("shop.public.users")).all().get();
            }
        }
    }

    private static SluiceConfig onTheTestBroker(SluiceConfig config) {
        return config.withKafka(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
