package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart, linted and rendered by a real Helm for its default values and every values file in ci/. */
class HelmChartTest {
    private static final Path CHART =
            Path.of("..", "helm", "sluice").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void lintsWithoutErrors() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
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

        assertThat(container.at("/args").toString())
                .isEqualTo(
                        "[\"run\",\"--config\",\"/etc/sluice/sluice.yaml\",\"--state-dir\",\"/var/lib/sluice/state\"]");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean())
                .isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(env(container, "SLUICE_INSTANCE_ID")).isEqualTo("$(POD_NAME)");
        assertThat(env(container, "JAVA_TOOL_OPTIONS"))
                .as("the chart's JVM options and the parallel collector for throughput")
                .contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC");
        assertThat(container.at("/env").toString())
                .as("secrets are files, never environment variables")
                .doesNotContain("secretKeyRef");
        assertThat(secretVolume(pod, "pii-key").path("secretName").asText()).isNotEmpty();
        assertThat(sts.at("/spec/serviceName").asText()).endsWith("-headless");
        assertThat(kinds(docs)).contains("ConfigMap", "Service", "StatefulSet", "ServiceAccount");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void configMapHoldsAConfigurationSluiceAccepts(String name, Path values) throws Exception {
        JsonNode configMap = render(values).stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.at("/data/sluice.yaml").isTextual())
                .findFirst()
                .orElseThrow();

        SluiceConfig config =
                ConfigLoader.parse(configMap.at("/data/sluice.yaml").asText());
        JsonNode pod = only(render(values), "StatefulSet").at("/spec/template/spec");

        assertThat(config.http().port()).isEqualTo(9464);
        assertThat(config.pii().keys())
                .isNotEmpty()
                .allSatisfy(key -> assertThat(key.secret().file())
                        .as("the PII key is a file in the mounted Secret")
                        .hasParentRaw(Path.of(mountPath(pod, "pii-key"))));
        assertThat(configMap.at("/data/sluice.yaml").asText()).doesNotContainIgnoringCase("password=");
    }

    @Test
    void defaultsRunTheCompactorHourlyWithPersistentState() throws Exception {
        List<JsonNode> docs = render(null);
        JsonNode cron = only(docs, "CronJob");

        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("5 * * * *");
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/jobTemplate/spec/template/spec/containers/0/args/0")
                        .asText())
                .isEqualTo("compact");
        assertThat(only(docs, "StatefulSet")
                        .at("/spec/volumeClaimTemplates/0/metadata/name")
                        .asText())
                .isEqualTo("state");
        assertThat(only(docs, "PodDisruptionBudget").at("/spec/maxUnavailable").asInt())
                .isEqualTo(1);
        assertThat(kinds(docs)).doesNotContain("ServiceMonitor", "PrometheusRule", "NetworkPolicy");
    }

    @Test
    void receiverValuesRunTheReceiverWithItsTokensAsFilesAndOnlyPushesBehindTheIngress() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/receiver-values.yaml"));
        JsonNode deployment = only(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(container.at("/args/0").asText()).isEqualTo("receive");
        assertThat(env(container, "JAVA_TOOL_OPTIONS"))
                .as("the receiver keeps the JVM's default collector for its acknowledgement latency")
                .doesNotContain("UseParallelGC");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/env").toString()).doesNotContain("secretKeyRef");
        assertThat(secretVolume(pod, "receiver-tokens").path("secretName").asText())
                .isEqualTo("sluice-receiver-tokens");
        assertThat(deployment.at("/spec/replicas").isMissingNode())
                .as("the HPA owns the replica count")
                .isTrue();
        assertThat(only(docs, "HorizontalPodAutoscaler")
                        .at("/spec/scaleTargetRef/name")
                        .asText())
                .isEqualTo(deployment.at("/metadata/name").asText());
        JsonNode ingress = only(docs, "Ingress");
        assertThat(ingress.at("/spec/rules/0/http/paths").size()).isEqualTo(1);
        assertThat(ingress.at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/push");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name")
                        .asText())
                .isEqualTo("push");

        JsonNode configMap = docs.stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.at("/data/sluice.yaml").isTextual())
                .findFirst()
                .orElseThrow();
        SluiceConfig config =
                ConfigLoader.parse(configMap.at("/data/sluice.yaml").asText());
        assertThat(config.receiver().topic()).isEqualTo("mmp.appsflyer.events");
        assertThat(config.receiver().port()).isEqualTo(8080);
        assertThat(config.receiver().apps())
                .extracting(a -> a.id() + " " + a.token().file())
                .containsExactly(
                        "com.example.game /var/run/secrets/sluice/receiver/game-token",
                        "id1234567890 /var/run/secrets/sluice/receiver/ios-token");
        assertThat(kinds(docs).stream().filter("PodDisruptionBudget"::equals))
                .as("the pipeline's and the receiver's")
                .hasSize(2);
    }

    @Test
    void monitoringValuesShipServiceMonitorAlertsAndDashboard() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/monitoring-values.yaml"));

        assertThat(only(docs, "ServiceMonitor").at("/spec/endpoints/0/path").asText())
                .isEqualTo("/metrics");
        List<String> alerts = new ArrayList<>();
        only(docs, "PrometheusRule")
                .at("/spec/groups/0/rules")
                .forEach(r -> alerts.add(r.path("alert").asText()));
        assertThat(alerts)
                .containsExactlyInAnyOrder(
                        "SluiceStreamsNotRunning",
                        "SluiceConsumerLagGrowing",
                        "SluiceDeadLetters",
                        "SluicePiiDetected",
                        "SluiceLakeStale",
                        "SluiceCompactionFailed",
                        "SluiceInternalError",
                        "SluiceImplausibleEventTimes",
                        "SluiceDependencyUnavailable");
        only(docs, "PrometheusRule").at("/spec/groups/0/rules").forEach(r -> {
            if (r.path("alert").asText().equals("SluiceInternalError")) {
                assertThat(r.path("expr").asText())
                        .contains("sluice_dlq_records_total")
                        .contains("reason=\"internal-error\"");
            }
            if (r.path("alert").asText().equals("SluiceDependencyUnavailable")) {
                assertThat(r.path("expr").asText())
                        .contains("sluice_dependency_up")
                        .contains("by (pod, dependency)");
            }
        });
        JsonNode dashboard = docs.stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
                .findFirst()
                .orElseThrow();
        JsonNode json =
                new ObjectMapper().readTree(dashboard.at("/data/sluice.json").asText());
        assertThat(json.path("panels").size()).isGreaterThanOrEqualTo(8);
        assertThat(json.toString())
                .contains(
                        "sluice_dlq_records_total",
                        "sluice_pii_detections_total",
                        "sluice_lake_newest_compacted_hour_seconds",
                        "kafka_consumer_fetch_manager_records_lag_max");
    }

    @Test
    void productionValuesMountTheSharedLakeAndRestrictIngress() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/production-values.yaml"));
        JsonNode sts = only(docs, "StatefulSet");

        assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(sts.at("/spec/template/spec/volumes").toString()).contains("analytics-lake");
        assertThat(sts.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/data/sluice:0.1.0");
        assertThat(only(docs, "NetworkPolicy").at("/spec/ingress").size())
                .as("pods and clients to /dimensions, scrapers to /metrics")
                .isEqualTo(3);
    }

    @Test
    void productionValuesMountKafkaCredentialsAsFilesFromTheirSecret() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/production-values.yaml"));
        JsonNode pod = only(docs, "StatefulSet").at("/spec/template/spec");
        SluiceConfig config = ConfigLoader.parse(sluiceYaml(docs));

        assertThat(secretVolume(pod, "kafka-credentials").path("secretName").asText())
                .isEqualTo("analytics-kafka");
        assertThat(secretVolume(pod, "pii-key").path("secretName").asText()).isEqualTo("analytics-pii");
        assertThat(config.kafka()).doesNotContainKey("sasl.jaas.config");
        assertThat(config.kafkaReferences().get("sasl.jaas.config").file())
                .hasParentRaw(Path.of(mountPath(pod, "kafka-credentials")));
        assertThat(config.pii().keys().get(0).secret().file()).isEqualTo(Path.of(mountPath(pod, "pii-key"), "hmac"));
        JsonNode compactor = only(docs, "CronJob").at("/spec/jobTemplate/spec/template/spec");
        assertThat(compactor.path("volumes").toString())
                .as("the compactor needs neither the PII key nor Kafka")
                .doesNotContain("analytics-pii", "analytics-kafka");
    }

    @Test
    void dimensionsAreOffByDefault() throws Exception {
        List<JsonNode> docs = render(null);
        JsonNode container = only(docs, "StatefulSet").at("/spec/template/spec/containers/0");

        assertThat(ConfigLoader.parse(sluiceYaml(docs)).http().dimensions().enabled())
                .isFalse();
        assertThat(container.at("/ports").size()).isEqualTo(1);
        assertThat(env(container, "SLUICE_APPLICATION_SERVER")).isNull();
    }

    @Test
    void productionValuesServeDimensionsOnTheirOwnPortBehindATokenFromASecret() throws Exception {
        List<JsonNode> docs = render(CHART.resolve("ci/production-values.yaml"));
        JsonNode pod = only(docs, "StatefulSet").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        var dimensions = ConfigLoader.parse(sluiceYaml(docs)).http().dimensions();

        assertThat(dimensions.enabled()).isTrue();
        assertThat(dimensions.port()).isEqualTo(9465).isNotEqualTo(9464);
        assertThat(dimensions.token().file()).isEqualTo(Path.of(mountPath(pod, "dimensions-token"), "token"));
        assertThat(secretVolume(pod, "dimensions-token").path("secretName").asText())
                .isEqualTo("analytics-dimensions-token");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(9465);
        assertThat(env(container, "SLUICE_APPLICATION_SERVER")).endsWith(":9465");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    }

    static Stream<Arguments> unsafeValues() {
        return Stream.of(
                Arguments.of("a Kafka password in the ConfigMap", """
                        config: { kafka: { sasl.jaas.config: 'PlainLoginModule required password="hunter2";' } }
                        """, "config.kafka.sasl.jaas.config is a credential"),
                Arguments.of(
                        "a trust store password in the ConfigMap",
                        "config: { kafka: { ssl.truststore.password: hunter2 } }\n",
                        "config.kafka.ssl.truststore.password is a credential"),
                Arguments.of(
                        "a lake secret key in the ConfigMap",
                        "config: { lake: { hadoop: { fs.s3a.secret.key: hunter2 } } }\n",
                        "config.lake.hadoop.fs.s3a.secret.key is a credential"),
                Arguments.of(
                        "registry credentials in the ConfigMap",
                        "config: { schemaRegistry: { basicAuth: 'user:hunter2' } }\n",
                        "config.schemaRegistry.basicAuth is a credential"),
                Arguments.of(
                        "the PII key from the environment",
                        "config: { pii: { key: { file: null, env: SLUICE_PII_KEY } } }\n",
                        "the chart mounts the PII key as a file"),
                Arguments.of(
                        "the PII key outside its mounted Secret",
                        "config: { pii: { key: { file: /etc/sluice/key } } }\n",
                        "outside piiKey.mountPath"),
                Arguments.of(
                        "a Kafka credential file nobody mounts",
                        "config: { kafka: { sasl.jaas.config: { file: /var/run/secrets/sluice/kafka/jaas } } }\n",
                        "kafkaCredentials.existingSecret names no Secret"),
                Arguments.of("/dimensions without a token", "dimensions: { enabled: true }\n", "needs a bearer token"),
                Arguments.of(
                        "the PII key as an environment variable (the old piiKey.env)",
                        "piiKey: { env: SLUICE_PII_KEY }\n",
                        "env"),
                Arguments.of("an http: section of its own", "config: { http: { port: 8080 } }\n", "http"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeValues")
    void refusesUnsafeValues(String name, String values, String message, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("values.yaml"), values);

        assertThatThrownBy(() -> render(file))
                .hasMessageContaining(message)
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void acceptsSettingsThatOnlySayWhereACredentialComesFrom(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("values.yaml"), """
                config: { kafka: { sasl.oauthbearer.token.endpoint.url: 'https://idp.example.com/token', sasl.mechanism: OAUTHBEARER } }
                """);

        assertThat(ConfigLoader.parse(sluiceYaml(render(file))).kafka())
                .containsKey("sasl.oauthbearer.token.endpoint.url");
    }

    private static String sluiceYaml(List<JsonNode> docs) {
        return docs.stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap")
                        && d.at("/data/sluice.yaml").isTextual())
                .findFirst()
                .orElseThrow()
                .at("/data/sluice.yaml")
                .asText();
    }

    private static JsonNode secretVolume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume.path("secret");
            }
        }
        throw new AssertionError("no volume " + name + " in " + pod.path("volumes"));
    }

    private static String mountPath(JsonNode pod, String volume) {
        for (JsonNode mount : pod.at("/containers/0/volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                assertThat(mount.path("readOnly").asBoolean())
                        .as(volume + " read-only")
                        .isTrue();
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume);
    }

    private static List<JsonNode> render(Path values) throws Exception {
        TemplateCommand template = new Helm(CHART)
                .template()
                .withName("sluice")
                .withNamespace("analytics")
                .withKubeVersion("1.31.0");
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
        List<JsonNode> found =
                docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
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
