package io.sluice.serdes.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
    static final Schema USER_V1 = SchemaBuilder.record("User")
            .namespace("sluice.test")
            .fields()
            .requiredLong("id")
            .requiredString("tier")
            .endRecord();
    static final Schema USER_V2 = SchemaBuilder.record("User")
            .namespace("sluice.test")
            .fields()
            .requiredLong("id")
            .requiredString("tier")
            .optionalString("city")
            .endRecord();
    static final Schema USER_BREAKING = SchemaBuilder.record("User")
            .namespace("sluice.test")
            .fields()
            .requiredLong("id")
            .requiredString("tier")
            .requiredInt("age")
            .endRecord();

    private InMemorySchemaRegistry server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws Exception {
        server = new InMemorySchemaRegistry(null);
        client = new SchemaRegistryClient(RegistrySettings.of(server.url()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersOnceAndAnswersFromItsCacheAfterwards() {
        int id = client.register("users-value", USER_V1);
        int requests = server.requests();

        assertThat(client.register("users-value", USER_V1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(USER_V1);
        assertThat(client.lookup("users-value", USER_V1)).isEqualTo(id);
        assertThat(server.requests())
                .as("no round trip for cached ids and schemas")
                .isEqualTo(requests);
    }

    @Test
    void fetchesSchemasByIdForReadersThatNeverRegistered() {
        int id = client.register("users-value", USER_V1);
        SchemaRegistryClient reader = new SchemaRegistryClient(RegistrySettings.of(server.url()));

        assertThat(reader.schemaById(id)).isEqualTo(USER_V1);
        assertThat(reader.latest("users-value")).isEqualTo(new SchemaRegistryClient.RegisteredSchema(id, 1, USER_V1));
    }

    @Test
    void evolvesCompatiblyAndRefusesBreakingChanges() {
        client.register("users-value", USER_V1);

        assertThat(client.isCompatible("users-value", USER_V2)).isTrue();
        assertThat(client.isCompatible("users-value", USER_BREAKING)).isFalse();
        assertThat(client.register("users-value", USER_V2)).isPositive();
        assertThatThrownBy(() -> client.register("users-value", USER_BREAKING))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.INCOMPATIBLE))
                .hasMessageStartingWith("schema is incompatible");
    }

    @Test
    void mapsNotFoundCodes() {
        assertThatThrownBy(() -> client.latest("nobody-value"))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND))
                .hasMessageStartingWith("subject not found");
        assertThatThrownBy(() -> client.schemaById(4242))
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).isNotFound()).isTrue());
        assertThatThrownBy(() -> client.lookup("users-value", USER_V1))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThat(client.isCompatible("nobody-value", USER_V1))
                .as("anything fits an empty subject")
                .isTrue();
    }

    @Test
    void aRegistryThatIsDownIsRetriableAndSaysWhere() {
        String url = server.url();
        server.close();
        SchemaRegistryClient down = new SchemaRegistryClient(new RegistrySettings(
                url, null, null, SubjectNameStrategy.TOPIC, true, false, Duration.ofSeconds(2), 10));

        assertThatThrownBy(() -> down.register("users-value", USER_V1))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).isRetriable()).isTrue())
                .hasMessageContaining(url)
                .hasMessageContaining("unreachable");
    }

    @Test
    void sendsBasicAuthAndNeverPrintsIt() throws Exception {
        try (InMemorySchemaRegistry secured = new InMemorySchemaRegistry("Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString("sluice:s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            RegistrySettings good = new RegistrySettings(
                    secured.url(),
                    "sluice:s3cret",
                    null,
                    SubjectNameStrategy.TOPIC,
                    true,
                    false,
                    Duration.ofSeconds(5),
                    10);
            RegistrySettings bad = new RegistrySettings(
                    secured.url(),
                    "sluice:wrong",
                    null,
                    SubjectNameStrategy.TOPIC,
                    true,
                    false,
                    Duration.ofSeconds(5),
                    10);

            assertThat(new SchemaRegistryClient(good).register("users-value", USER_V1))
                    .isPositive();
            assertThatThrownBy(() -> new SchemaRegistryClient(bad).register("users-value", USER_V1))
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus())
                            .isEqualTo(401))
                    .message()
                    .doesNotContain("wrong", "s3cret");
            assertThat(good.toString()).doesNotContain("s3cret").contains("auth=basic");
        }
    }

    @Test
    void derivesSubjectsByStrategy() {
        assertThat(SubjectNameStrategy.TOPIC.subject("curated.shop.users", false, USER_V1))
                .isEqualTo("curated.shop.users-value");
        assertThat(SubjectNameStrategy.TOPIC.subject("curated.shop.users", true, USER_V1))
                .isEqualTo("curated.shop.users-key");
        assertThat(SubjectNameStrategy.RECORD.subject("t", false, USER_V1)).isEqualTo("sluice.test.User");
        assertThat(SubjectNameStrategy.TOPIC_RECORD.subject("t", false, USER_V1))
                .isEqualTo("t-sluice.test.User");
    }
}
