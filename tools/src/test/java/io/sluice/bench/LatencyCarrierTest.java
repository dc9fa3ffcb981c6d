package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.SluiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyCarrierTest {
    @Test
    void carriesTheStampInAnAppsFlyerFreeTextFieldThePolicyKeeps() {
        SluiceConfig config = BenchConfigs.full();

        LatencyCarrier carrier = LatencyCarrier.find(
                        config,
                        config.pii()
                                .toPolicy(Map.of(
                                        BenchConfigs.PII_KEY_VARIABLE, "a-test-key-that-is-at-least-32-bytes-long")))
                .orElseThrow();

        assertThat(carrier).isEqualTo(new LatencyCarrier("mmp.appsflyer.events", "af_sub5", "curated.mmp.events"));
    }

    @Test
    void usesACdcColumnWhenOnlyAWildcardRuleOfATableKeepsUnknownColumns() {
        SluiceConfig config = BenchConfigs.parse("""
                kafka: { bootstrap.servers: "localhost:9092" }
                sources: [ { name: shop, type: debezium, topics: [shop.public.orders] } ]
                pii: { rules: [ { table: orders, column: "*", action: keep } ] }
                lake: { uri: /tmp/lake }
                """);

        assertThat(LatencyCarrier.find(config, config.pii().toPolicy(Map.of())))
                .contains(new LatencyCarrier("shop.public.orders", "bench_sent_at", "curated.shop.orders"));
    }

    @Test
    void findsNoCarrierWhenThePolicyDropsEveryUnnamedField() {
        SluiceConfig config = BenchConfigs.dropEverythingUnnamed();

        assertThat(LatencyCarrier.find(config, config.pii().toPolicy(Map.of()))).isEmpty();
    }
}
