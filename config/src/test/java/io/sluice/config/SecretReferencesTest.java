package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {env: VAR} and {file: PATH} in kafka: and schemaRegistry:, and credentials that may only be written so. */
class SecretReferencesTest {
    private static final String REST = """
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              rules:
                - { table: users, column: id, action: keep }
            lake: { uri: /tmp/lake }
            """;

    @TempDir
    Path dir;

    private static SluiceConfig withKafka(String kafkaLines) {
        return ConfigLoader.parse("kafka:\n  bootstrap.servers: \"broker:9092\"\n" + kafkaLines + REST);
    }

    @Test
    void readsKafkaReferencesFromTheEnvironmentAndFilesOnlyWhenAClientIsBuilt() throws IOException {
        Path jaas = Files.writeString(
                dir.resolve("jaas"),
                "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"sluice\" password=\"hunter2\";\n");
        SluiceConfig config = withKafka("""
                  security.protocol: SASL_SSL
                  sasl.mechanism: PLAIN
                  sasl.jaas.config: { file: %s }
                  ssl.truststore.password: { env: TRUSTSTORE_PASSWORD }
                """.formatted(jaas));

        assertThat(config.kafka())
                .containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKeys("sasl.jaas.config", "ssl.truststore.password");
        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("changeit");
        assertThat(config.kafkaProperties(Map.of("TRUSTSTORE_PASSWORD", "changeit")))
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "username=\"sluice\" password=\"hunter2\";")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void anyKafkaSettingMayBeAReference() {
        SluiceConfig config = ConfigLoader.parse("kafka:\n  bootstrap.servers: { env: KAFKA_BOOTSTRAP }\n" + REST);

        assertThat(config.kafkaProperties(Map.of("KAFKA_BOOTSTRAP", "b1:9092,b2:9092")))
                .containsEntry("bootstrap.servers", "b1:9092,b2:9092");
        assertThatThrownBy(() -> config.kafkaProperties(Map.of()))
                .hasMessage("kafka.bootstrap.servers.env: environment variable KAFKA_BOOTSTRAP is not set");
    }

    @Test
    void anUnreadableKafkaReferenceIsAConfigErrorNamingTheKey() {
        SluiceConfig config = withKafka("  sasl.jaas.config: { file: /nonexistent/jaas.conf }\n");

        assertThatThrownBy(() -> config.kafkaProperties(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.sasl.jaas.config.file: cannot read /nonexistent/jaas.conf");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sasl.jaas.config",
                "ssl.keystore.password",
                "ssl.key.password",
                "ssl.keystore.key",
                "sasl.oauthbearer.client.credentials.client.secret",
                "producer.sasl.jaas.config",
                "main.consumer.ssl.truststore.password",
                "my.custom.token",
                "some-api-secret",
                "basic.auth.password"
            })
    void rejectsALiteralCredentialNamingTheKeyButNeverTheValue(String key) {
        assertThatThrownBy(() -> withKafka("  " + key + ": \"hunter2-literal\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka." + key + ": " + SecretKeys.LITERAL)
                .message()
                .doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sasl.oauthbearer.token.endpoint.url",
                "ssl.truststore.location",
                "sasl.mechanism",
                "security.protocol",
                "ssl.endpoint.identification.algorithm"
            })
    void acceptsLiteralsForSettingsThatOnlySayWhereOrHowToAuthenticate(String key) {
        assertThat(withKafka("  " + key + ": \"x\"\n").kafka()).containsEntry(key, "x");
    }

    @Test
    void keepsEmptyKafkaValues() {
        // ssl.endpoint.identification.algorithm: "" is how Kafka clients turn host name checks off
        assertThat(withKafka("  ssl.endpoint.identification.algorithm: \"\"\n").kafka())
                .containsEntry("ssl.endpoint.identification.algorithm", "");
    }

    @Test
    void aMappingThatIsNotAReferenceIsRejected() {
        assertThatThrownBy(() -> withKafka("  sasl: { jaas.config: x }\n"))
                .hasMessageStartingWith("kafka.sasl: must be a single value, or {env: VARIABLE} / {file: PATH}");
        assertThatThrownBy(() -> withKafka("  sasl.jaas.config: { env: A, file: /b }\n"))
                .hasMessageStartingWith("kafka.sasl.jaas.config: set exactly one of env or file");
    }

    @Test
    void theApplicationIdIsWrittenInTheConfiguration() {
        assertThatThrownBy(() -> withKafka("  application.id: { env: APP }\n"))
                .hasMessageStartingWith("kafka.application.id: names");
    }

    @Test
    void theSameRuleGuardsLakeHadoopSettings() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: { bootstrap.servers: b:9092 }\n"
                        + REST.replace(
                                "lake: { uri: /tmp/lake }",
                                "lake: { uri: s3a://l/p, hadoop: { fs.s3a.session.token: hunter2 } }")))
                .hasMessage("lake.hadoop.fs.s3a.session.token: " + SecretKeys.LITERAL);
    }

    @Test
    void readsTheRegistryUrlFromAReferenceAndChecksItWithoutShowingIt() {
        SluiceConfig config = ConfigLoader.parse("kafka: { bootstrap.servers: b:9092 }\n" + REST
                + "schemaRegistry: { url: { env: SR_URL }, bearerToken: { env: SR_TOKEN } }\n");

        assertThat(config.schemaRegistry()
                        .settings(Map.of("SR_URL", "https://user:pw@registry:8081", "SR_TOKEN", "t"))
                        .url())
                .isEqualTo("https://user:pw@registry:8081");
        assertThatThrownBy(() ->
                        config.schemaRegistry().settings(Map.of("SR_URL", "registry:8081?pw=hunter2", "SR_TOKEN", "t")))
                .hasMessage("schemaRegistry.url: is not an http(s):// URL (or mock://NAME for an in-process registry)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"basicAuth: 'user:hunter2'", "bearerToken: hunter2"})
    void rejectsLiteralRegistryCredentials(String credential) {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: { bootstrap.servers: b:9092 }\n" + REST
                        + "schemaRegistry: { url: 'http://r', " + credential + " }\n"))
                .hasMessageEndingWith(SecretKeys.LITERAL)
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void dimensionsAreOffByDefaultAndNeedATokenAndAPortOfTheirOwn() {
        String base = "kafka: { bootstrap.servers: b:9092 }\n" + REST;

        assertThat(ConfigLoader.parse(base).http().dimensions().enabled()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.parse(base + "http: { dimensions: { enabled: true } }\n"))
                .hasMessageStartingWith("http.dimensions.token: is required when /dimensions is enabled");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        base + "http: { dimensions: { enabled: true, port: 9464, token: { file: /t } } }\n"))
                .hasMessageStartingWith("http.dimensions.port: must differ from http.port");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        base + "http: { dimensions: { enabled: true, token: s3cr3t-literal-token-value } }\n"))
                .hasMessage("http.dimensions.token: " + SecretKeys.LITERAL);
        HttpSettings http = ConfigLoader.parse(base + "http: { readTimeout: 2s, requestTimeout: 4s, "
                        + "dimensions: { enabled: true, port: 9500, token: { file: /t } } }\n")
                .http();
        assertThat(http.dimensions().port()).isEqualTo(9500);
        assertThat(http.readTimeout()).hasSeconds(2);
        assertThat(http.requestTimeout()).hasSeconds(4);
        assertThatThrownBy(() -> ConfigLoader.parse(base + "http: { readTimeout: 5s, requestTimeout: 1s }\n"))
                .hasMessageStartingWith("http.requestTimeout: must be at least http.readTimeout");
    }
}
