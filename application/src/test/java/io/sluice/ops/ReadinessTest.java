package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.config.HttpSettings;
import io.sluice.metrics.DependencyHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness names a dependency that is failing, and the metrics show it. */
class ReadinessTest {
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DependencyHealth health = new DependencyHealth(meters);
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aFailingRegistryIsNamedByReadinessAndInTheMetricsUntilItAnswersAgain() throws Exception {
        HttpSettings http = new HttpSettings(
                true,
                "127.0.0.1",
                0,
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                HttpSettings.DimensionsListener.OFF);
        try (OpsServer ops = OpsServer.start(http, meters, () -> null, () -> 0, health::degraded)) {
            health.failed(DependencyHealth.SCHEMA_REGISTRY, DependencyHealth.GAVE_UP);

            HttpResponse<String> ready = get(ops, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"degraded\":[\"schema-registry\"]");
            String scrape = get(ops, "/metrics").body();
            assertThat(scrape)
                    .contains("sluice_dependency_up{dependency=\"schema-registry\"} 0.0")
                    .contains("sluice_dependency_up{dependency=\"kafka\"} 1.0")
                    .contains(
                            "sluice_dependency_failures_total{dependency=\"schema-registry\",outcome=\"gave-up\"} 1.0");

            health.recovered(DependencyHealth.SCHEMA_REGISTRY);
            assertThat(get(ops, "/health/ready").body()).contains("\"degraded\":[]");
            assertThat(get(ops, "/metrics").body())
                    .contains("sluice_dependency_up{dependency=\"schema-registry\"} 1.0");
        }
    }

    private HttpResponse<String> get(OpsServer ops, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
