package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, linted and rendered by a real Helm for its default values and every values file in ci/. */
class HelmChartTest {
    private static final Path CHART = Path.of("..", "helm", "sluice").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void lintsWithoutErrors() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    static Stream<Arguments> valuesFiles() throws Exception {
        List<Arguments> files = new ArrayList<>();
        files.add(Arguments.of("default", null));
        try (Stream<Path> ci = Files.list(CHART.resolve("ci"))) {
            ci.sorted().forEach(f -> files.add(Arguments.of(f.getFileName().toString(), f)));
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void rendersAStatefulSetThatRunsSluiceSafely(String name, Path values) throws Exception {
        List<JsonNode> docs = render(values);
        JsonNode sts = only(docs, "StatefulSet");
        JsonNode pod = sts.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(container.at("/args").toString()).isEqualTo("[\"run\",\"--config\",\"/etc/sluice/sluice.yaml\",\"--state-dir\",\"/var/lib/sluice/state\"]");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(env(container, "SLUICE_INSTANCE_ID")).isEqualTo("$(POD_NAME)");
        assertThat(container.at("/env").toString()).contains("secretKeyRef");
        assertThat(sts.at("/spec/serviceName").asText()).endsWith("-headless");
        assertThat(kinds(docs)).contains("ConfigMap", "Service", "StatefulSet", "ServiceAccount");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void configMapHoldsAConfigurationSluiceAccepts(String name, Path values) throws Exception {
        JsonNode configMap = render(values).stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap") && d.at("/data/sluice.yaml").isTextual())
                .findFirst().orElseThrow();

        SluiceConfig config = ConfigLoader.parse(configMap.at("/data/sluice.yaml").asText());

        assertThat(config.http().port()).isEqualTo(9464);
        assertThat(config.pii().toPolicy(Map.of("SLUICE_PII_KEY", "chart-test-key-0123456789-0123456789")).rules()).isNotEmpty();
    }

    @Test
    void defaultsRunTheCompactorHourlyWithPersistentState() throws Exception {
        List<JsonNode> docs = render(null);
        JsonNode cron = only(docs, "CronJob");

        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("5 * * * *");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/jobTemplate/spec/template/spec/containers/0/args/0").asText()).isEqualTo("compact");
        assertThat(only(docs, "StatefulSet").at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
        assertThat(only(docs, "PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(kinds(docs)).doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy");
    }

    @Test
    void monitoringValuesShipServiceMonitorAlertsAndDashboard() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/monitoring-values.yaml"));

        assertThat(only(docs, "ServiceMonitor").at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        List<String> alerts = new ArrayList<>();
        only(docs, "PrometheusRule").at("/spec/groups/0/rules").forEach(r -> alerts.add(r.path("alert").asText()));
        assertThat(alerts).containsExactlyInAnyOrder("SluiceStreamsNotRunning", "SluiceConsumerLagGrowing", "SluiceDeadLetters",
                "SluicePiiDetected", "SluiceLakeStale", "SluiceCompactionFailed", "SluiceInternalError", "SluiceImplausibleEventTimes");
        only(docs, "PrometheusRule").at("/spec/groups/0/rules").forEach(r -> {
            if (r.path("alert").asText().equals("SluiceInternalError")) {
                assertThat(r.path("expr").asText()).contains("sluice_dlq_records_total").contains("reason=\"internal-error\"");
            }
        });
        JsonNode dashboard = docs.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")
                && d.at("/metadata/labels/grafana_dashboard").asText().equals("1")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(dashboard.at("/data/sluice.json").asText());
        assertThat(json.path("panels").size()).isGreaterThanOrEqualTo(8);
        assertThat(json.toString()).contains("sluice_dlq_records_total", "sluice_pii_detections_total",
                "sluice_lake_newest_compacted_hour_seconds", "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void productionValuesMountTheSharedLakeAndRestrictIngress() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/production-values.yaml"));
        JsonNode sts = only(docs, "StatefulSet");

        assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(sts.at("/spec/template/spec/volumes").toString()).contains("analytics-lake");
        assertThat(sts.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example.com/data/sluice:0.1.0");
        assertThat(only(docs, "NetworkPolicy").at("/spec/ingress").size()).isEqualTo(2);
    }

    private static List<JsonNode> render(Path values) throws Exception {
        TemplateCommand template = new Helm(CHART).template().withName("sluice").withNamespace("analytics").withKubeVersion("1.31.0");
        if (values != null) {
            template = template.withValuesFile(values);
        }
        String rendered = template.call();
        List<JsonNode> docs = new ArrayList<>();
        for (String doc : rendered.split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) {
                JsonNode node = YAML.readTree(doc);
                if (node != null && !node.isMissingNode() && node.has("kind")) {
                    docs.add(node);
                }
            }
        }
        return docs;
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        return null;
    }
}
