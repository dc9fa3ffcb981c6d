package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart refuses more than one compactor per lake: in-process compaction with several replicas, or beside the CronJob. */
class HelmCompactionGuardTest {
    private static final Path CHART =
            Path.of("..", "helm", "sluice").toAbsolutePath().normalize();

    @Test
    void refusesInProcessCompactionWithMoreThanOneReplica() {
        TemplateCommand template = template()
                .set("config.lake.compaction.interval", "15m")
                .set("compaction.enabled", "false")
                .set("replicaCount", "2");

        assertThatThrownBy(template::call)
                .hasMessageContaining("config.lake.compaction.interval")
                .hasMessageContaining("replicaCount is 2");
    }

    @Test
    void refusesInProcessCompactionTogetherWithTheCronJob() {
        TemplateCommand template =
                template().set("config.lake.compaction.interval", "15m").set("replicaCount", "1");

        assertThatThrownBy(template::call).hasMessageContaining("together with the compaction CronJob");
    }

    @Test
    void rendersInProcessCompactionInOneReplicaWithoutTheCronJob() {
        String rendered = template()
                .set("config.lake.compaction.interval", "15m")
                .set("compaction.enabled", "false")
                .set("replicaCount", "1")
                .call();

        assertThat(rendered)
                .contains("kind: StatefulSet")
                .doesNotContain("kind: CronJob")
                .contains("interval: 15m");
    }

    @Test
    void rendersTheCronJobWithSeveralReplicasWhenNoReplicaCompacts() {
        String rendered = template().set("replicaCount", "3").call();

        assertThat(rendered).contains("kind: CronJob").contains("replicas: 3");
    }

    private static TemplateCommand template() {
        return new Helm(CHART)
                .template()
                .withName("sluice")
                .withNamespace("analytics")
                .withKubeVersion("1.31.0");
    }
}
