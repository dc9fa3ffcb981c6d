package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.SchemaRegistryConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.pii.ColumnRef;
import io.sluice.pii.MaskingAction;
import io.sluice.pii.MaskingPolicy;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LadderConfigsTest {
    private static final String BROKER = "127.0.0.1:40000";
    private final SluiceConfig base = BenchConfigs.full();

    private SluiceConfig step(LadderStep step) {
        return LadderConfigs.forStep(step, base, BROKER, LadderConfigs.registry(step, base));
    }

    @Test
    void stepsBeforeDedupRunOnlyTheGate() {
        for (LadderStep step : new LadderStep[] {LadderStep.DECODE_ENCODE, LadderStep.MASKING}) {
            SluiceConfig config = step(step);
            assertThat(config.dedup()).isEmpty();
            assertThat(config.aggregates()).isEmpty();
            assertThat(config.dimensions()).isEmpty();
        }
    }

    @Test
    void dedupStepAddsOnlyDedup() {
        SluiceConfig config = step(LadderStep.DEDUP);

        assertThat(config.dedup()).isEqualTo(base.dedup());
        assertThat(config.aggregates()).isEmpty();
        assertThat(config.dimensions()).isEmpty();
    }

    @Test
    void lastTwoStreamsStepsRunEveryConfiguredStage() {
        for (LadderStep step : new LadderStep[] {LadderStep.AGGREGATES_AND_DIMENSIONS, LadderStep.EXACTLY_ONCE}) {
            SluiceConfig config = step(step);
            assertThat(config.dedup()).isEqualTo(base.dedup());
            assertThat(config.aggregates()).isEqualTo(base.aggregates());
            assertThat(config.dimensions()).isEqualTo(base.dimensions());
        }
    }

    @Test
    void onlyStepGRunsExactlyOnce() {
        for (LadderStep step : LadderStep.values()) {
            if (step.kind() == LadderStep.Kind.STREAMS) {
                assertThat(step(step).kafka().get("processing.guarantee"))
                        .as(step.label())
                        .isEqualTo(step == LadderStep.EXACTLY_ONCE ? "exactly_once_v2" : "at_least_once");
            }
        }
    }

    @Test
    void everyStepHasItsOwnApplicationIdAndTheEmbeddedBroker() {
        assertThat(Arrays.stream(LadderStep.values())
                        .map(LadderStep::applicationId)
                        .distinct())
                .hasSize(LadderStep.values().length);
        SluiceConfig config = step(LadderStep.DEDUP);
        assertThat(config.applicationId()).isEqualTo("sluice-bench-e");
        assertThat(config.kafka().get("bootstrap.servers")).isEqualTo(BROKER);
    }

    @Test
    void atLeastOnceStepsCommitEverySecondUnlessTheConfigurationSaysOtherwise() {
        assertThat(step(LadderStep.MASKING).kafka().get("commit.interval.ms")).isEqualTo("1000");
        assertThat(step(LadderStep.EXACTLY_ONCE).kafka()).doesNotContainKey("commit.interval.ms");

        SluiceConfig configured = BenchConfigs.withRegistryAndKafka("  commit.interval.ms: 250\n");
        assertThat(LadderConfigs.forStep(
                                LadderStep.MASKING,
                                configured,
                                BROKER,
                                LadderConfigs.registry(LadderStep.MASKING, configured))
                        .kafka()
                        .get("commit.interval.ms"))
                .isEqualTo("250");
    }

    @Test
    void gateStepKeepsEverythingUntilMaskingIsAdded() {
        MaskingPolicy configured =
                base.pii().toPolicy(Map.of(BenchConfigs.PII_KEY_VARIABLE, "a-test-key-that-is-at-least-32-bytes-long"));
        ColumnRef email = new ColumnRef("shop", "users", "email");

        assertThat(LadderConfigs.policy(LadderStep.DECODE_ENCODE, configured)
                        .decide(email)
                        .action())
                .isEqualTo(MaskingAction.KEEP);
        assertThat(LadderConfigs.policy(LadderStep.MASKING, configured)
                        .decide(email)
                        .action())
                .isEqualTo(MaskingAction.HASH);
    }

    @Test
    void keepEverythingSchemasNeverReachAConfiguredRegistry() {
        SluiceConfig withRegistry = BenchConfigs.withRegistryAndKafka("");

        SchemaRegistryConfig gate = LadderConfigs.registry(LadderStep.DECODE_ENCODE, withRegistry);
        SchemaRegistryConfig masked = LadderConfigs.registry(LadderStep.MASKING, withRegistry);

        assertThat(gate.url()).startsWith("mock://");
        assertThat(masked.url()).isEqualTo("http://registry.example:8081");
    }

    @Test
    void withoutAConfiguredRegistryEachStepHasItsOwnInProcessOne() {
        assertThat(LadderConfigs.registry(LadderStep.MASKING, base).url()).isEqualTo("mock://sluice-bench-d");
        assertThat(LadderConfigs.registry(LadderStep.DEDUP, base).url()).isEqualTo("mock://sluice-bench-e");
    }

    @Test
    void topicsGetOneReplicaOnTheSingleBroker() {
        SluiceConfig replicated = BenchConfigs.parse("""
                kafka: { bootstrap.servers: "localhost:9092" }
                sources: [ { name: mmp, type: mmp, topics: [mmp.events] } ]
                pii: { unlisted: keep }
                lake: { uri: /tmp/lake }
                topics: { partitions: 6, replicationFactor: 3 }
                """);

        SluiceConfig config = LadderConfigs.forStep(
                LadderStep.MASKING, replicated, BROKER, LadderConfigs.registry(LadderStep.MASKING, replicated));

        assertThat(config.topics().partitions()).contains(6);
        assertThat(config.topics().replicationFactor()).isEmpty();
    }

    @Test
    void warmUpRunsTheWholePipelineUnderItsOwnApplicationId() {
        SluiceConfig warm = LadderConfigs.warmUp(base, BROKER, 1);

        assertThat(warm.applicationId()).isEqualTo(LadderConfigs.WARM_UP_APPLICATION_ID);
        assertThat(warm.aggregates()).isEqualTo(base.aggregates());
        assertThat(warm.schemaRegistry().url()).startsWith("mock://");
    }
}
