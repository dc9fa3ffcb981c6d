package io.sluice.serdes.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingSchemaRegistryTest {
    private static final Schema ROW =
            SchemaBuilder.record("Row").fields().requiredLong("id").endRecord();
    private static final RegistryRetry QUICK = new RegistryRetry(3, Duration.ofMillis(1));

    private final String scope = "retrying-" + UUID.randomUUID();
    private final SchemaRegistry real = SchemaRegistry.connect(RegistrySettings.of("mock://" + scope));
    private final List<String> heard = new ArrayList<>();
    private final RetryingSchemaRegistry.Listener listener = new RetryingSchemaRegistry.Listener() {
        @Override
        public void retrying(SchemaRegistryException failure) {
            heard.add("retrying");
        }

        @Override
        public void gaveUp(SchemaRegistryException failure) {
            heard.add("gave-up");
        }

        @Override
        public void recovered() {
            heard.add("recovered");
        }
    };

    @AfterEach
    void drop() {
        InProcessSchemaRegistry.dropScope(scope);
    }

    @Test
    void aRegistryBackWithinTheRetriesAnswersTheCallAsIfNothingHappened() {
        SchemaRegistry registry = RetryingSchemaRegistry.wrap(new Failing(real, 2, 503), QUICK, listener);

        int id = registry.register("rows-value", ROW);

        assertThat(registry.schemaById(id)).isEqualTo(ROW);
        assertThat(heard).containsExactly("retrying", "retrying", "recovered");
    }

    @Test
    void aRegistryDownForEveryTryGivesTheRetriableFailureToTheCaller() {
        Failing down = new Failing(real, Integer.MAX_VALUE, -1);
        SchemaRegistry registry = RetryingSchemaRegistry.wrap(down, QUICK, listener);

        assertThatThrownBy(() -> registry.register("rows-value", ROW))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
        assertThat(down.calls).isEqualTo(3);
        assertThat(heard).containsExactly("retrying", "retrying", "gave-up");
    }

    @Test
    void aRefusalIsNotRetried() {
        Failing refusing = new Failing(real, Integer.MAX_VALUE, 409);
        SchemaRegistry registry = RetryingSchemaRegistry.wrap(refusing, QUICK, listener);

        assertThatThrownBy(() -> registry.register("rows-value", ROW)).isInstanceOf(SchemaRegistryException.class);
        assertThat(refusing.calls).isEqualTo(1);
        assertThat(heard).isEmpty();
    }

    @Test
    void throttlingAndRefusedCredentialsAreRetriableButConflictsAreNot() {
        assertThat(new SchemaRegistryException(429, 429, "throttled").isRetriable())
                .isTrue();
        assertThat(new SchemaRegistryException(401, 401, "unauthorized").isRetriable())
                .isTrue();
        assertThat(new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE, "incompatible").isRetriable())
                .isFalse();
        assertThat(new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "invalid").isRetriable())
                .isFalse();
    }

    @Test
    void theWorstCaseCountsEveryTimeoutAndEveryWait() {
        assertThat(new RegistryRetry(3, Duration.ofMillis(100)).worstCase(Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofMillis(3300));
        assertThat(RegistryRetry.DEFAULT.worstCase(Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
    }

    /** Fails its first {@code failures} registrations with an HTTP status (-1: unreachable). */
    private static final class Failing implements SchemaRegistry {
        private final SchemaRegistry delegate;
        private final int status;
        private int failures;
        int calls;

        Failing(SchemaRegistry delegate, int failures, int status) {
            this.delegate = delegate;
            this.failures = failures;
            this.status = status;
        }

        @Override
        public RegistrySettings settings() {
            return delegate.settings();
        }

        @Override
        public int register(String subject, Schema schema) {
            calls++;
            if (failures > 0) {
                failures--;
                throw new SchemaRegistryException(
                        status, status < 0 ? SchemaRegistryException.UNAVAILABLE : status, "failing");
            }
            return delegate.register(subject, schema);
        }

        @Override
        public int lookup(String subject, Schema schema) {
            return delegate.lookup(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            return delegate.schemaById(id);
        }

        @Override
        public SchemaRegistryClient.RegisteredSchema latest(String subject) {
            return delegate.latest(subject);
        }

        @Override
        public void forgetLatest(String subject) {
            delegate.forgetLatest(subject);
        }
    }
}
