package io.sluice.bench;

import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;

/** Small configurations for the bench's tests: one MMP and one CDC source, with every stage the ladder adds. */
final class BenchConfigs {
    static final String PII_KEY_VARIABLE = "BENCH_TEST_PII_KEY";

    private BenchConfigs() {}

    /** MMP events deduplicated and aggregated, a users table with an SCD2 dimension; an allow-list policy that keeps af_sub5. */
    static SluiceConfig full() {
        return parse(FULL);
    }

    /** The same with a configured (external) schema registry and some Kafka settings of its own. */
    static SluiceConfig withRegistryAndKafka(String kafkaLines) {
        return parse(FULL.replace("kafka:\n", "kafka:\n" + kafkaLines)
                + "schemaRegistry: { url: \"http://registry.example:8081\" }\n");
    }

    /** Only an MMP source, whose policy drops every field it does not name. */
    static SluiceConfig dropEverythingUnnamed() {
        return parse("""
                kafka: { bootstrap.servers: "localhost:9092" }
                sources: [ { name: mmp, type: mmp, topics: [mmp.events] } ]
                pii: { rules: [ { source: mmp, column: event_name, action: keep } ] }
                lake: { uri: /tmp/lake }
                """);
    }

    static SluiceConfig parse(String yaml) {
        return ConfigLoader.parse(yaml);
    }

    private static final String FULL = """
            kafka:
              bootstrap.servers: "localhost:9092"
              application.id: shop-analytics
            sources:
              - { name: mmp, type: mmp, topics: [mmp.appsflyer.events] }
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              key: { env: BENCH_TEST_PII_KEY, id: "1" }
              detectors: [email, phone, kr-rrn, card, ip]
              rules:
                - { source: mmp, column: "*", action: keep }
                - { source: mmp, column: appsflyer_id, action: hash }
                - { source: mmp, column: customer_user_id, action: hash }
                - { source: mmp, column: event_value.email, action: hash }
                - { table: users, column: id, action: hash }
                - { table: users, column: email, action: hash }
                - { table: users, column: city, action: keep }
                - { table: users, column: tier, action: keep }
                - { table: users, column: "*_at", action: keep }
            dedup:
              - { source: mmp, key: [appsflyer_id, event_name, event_time], retention: 24h }
            aggregates:
              - name: events_hourly
                source: mmp
                window: { size: 1h, grace: 10m }
                groupBy: [event_name, platform]
                measures: [count, { distinct: customer_user_id }]
            dimensions:
              - { source: shop, table: users, key: [id], track: [city, tier] }
            lake: { uri: /tmp/lake }
            """;
}
