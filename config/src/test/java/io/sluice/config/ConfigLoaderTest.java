package io.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            kafka: { bootstrap.servers: "broker:9092" }
            sources:
              - { name: shop, type: debezium, topics: [shop.public.users] }
            pii:
              rules:
                - { table: users, column: id, action: keep }
            lake: { uri: /tmp/lake }
            """;

    @Test
    void appliesDefaults() {
        SluiceConfig config = ConfigLoader.parse(MINIMAL);

        assertThat(config.applicationId()).isEqualTo("sluice");
        assertThat(config.pii().unlisted()).hasToString("DROP");
        assertThat(config.lake().compaction().targetFileSize()).isEqualTo(256L << 20);
        assertThat(config.topics().partitions()).isEmpty();
        assertThat(config.lake().compactEvery())
                .as("compaction is a CronJob unless asked")
                .isEmpty();
        assertThat(config.http()).isEqualTo(HttpSettings.DEFAULT);
    }

    @Test
    void rejectsUnknownKeysByTheirFullPath() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("type: debezium", "type: debezium, topcs: [x]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sources[0].topcs: unknown key")
                .hasMessageContaining("topics");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "lake2: {}\n"))
                .hasMessageStartingWith("lake2: unknown key");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, compaction: { grase: 5m } }")))
                .hasMessageStartingWith("lake.compaction.grase: unknown key");
    }

    @Test
    void writesAvroTier0UnlessJsonLinesAreAskedFor() {
        assertThat(ConfigLoader.parse(MINIMAL).lake().tier0Format()).isEqualTo(io.sluice.sinks.Tier0Format.AVRO);
        assertThat(ConfigLoader.parse(MINIMAL.replace(
                                "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, tier0: { format: jsonl } }"))
                        .lake()
                        .tier0Format())
                .isEqualTo(io.sluice.sinks.Tier0Format.JSON_LINES);
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, tier0: { format: csv } }")))
                .hasMessage("lake.tier0.format: 'csv' is not a tier-0 format; use avro or jsonl");
    }

    @Test
    void passesHadoopSettingsToTheLakeWithCredentialsOnlyByReference() {
        SluiceConfig config = ConfigLoader.parse(MINIMAL.replace("lake: { uri: /tmp/lake }", """
                lake:
                  uri: s3a://lake/prefix
                  hadoop:
                    fs.s3a.endpoint: http://127.0.0.1:9000
                    fs.s3a.path.style.access: true
                    fs.s3a.access.key: { env: LAKE_ACCESS_KEY }
                    fs.s3a.secret.key: { file: /nonexistent/secret }
                """));

        assertThat(config.lake().hadoop())
                .containsEntry("fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("fs.s3a.path.style.access", "true")
                .doesNotContainKey("fs.s3a.access.key");
        assertThatThrownBy(() -> config.lake().hadoopSettings(Map.of("LAKE_ACCESS_KEY", "AKIA")))
                .hasMessageStartingWith("lake.hadoop.fs.s3a.secret.key.file: cannot read /nonexistent/secret");
        assertThatThrownBy(() -> config.lake().hadoopSettings(Map.of()))
                .hasMessage("lake.hadoop.fs.s3a.access.key.env: environment variable LAKE_ACCESS_KEY is not set");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }",
                        "lake: { uri: /tmp/lake, hadoop: { fs.s3a.secret.key: hunter2 } }")))
                .hasMessageStartingWith("lake.hadoop.fs.s3a.secret.key: is a secret")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void keepsTier1InTheHiveLayoutUnlessIcebergIsAskedForWithItsCatalog() {
        assertThat(ConfigLoader.parse(MINIMAL).lake().format()).isEqualTo("hive");
        SluiceConfig config = ConfigLoader.parse(MINIMAL.replace("lake: { uri: /tmp/lake }", """
                lake:
                  uri: /tmp/lake
                  format: iceberg
                  iceberg:
                    namespace: analytics
                    catalog:
                      type: jdbc
                      uri: jdbc:postgresql://127.0.0.1:5432/catalog
                      warehouse: s3a://warehouse/
                      properties:
                        jdbc.user: sluice
                        jdbc.password: { env: CATALOG_PASSWORD }
                """));

        assertThat(config.lake().format()).isEqualTo("iceberg");
        IcebergConfig iceberg = config.lake().iceberg().orElseThrow();
        assertThat(iceberg.settings(Map.of("CATALOG_PASSWORD", "pw")))
                .isEqualTo(new io.sluice.sinks.IcebergCatalogSettings(
                        "jdbc",
                        "jdbc:postgresql://127.0.0.1:5432/catalog",
                        "s3a://warehouse/",
                        "analytics",
                        Map.of("jdbc.user", "sluice", "jdbc.password", "pw")));
        assertThat(ConfigLoader.parse(MINIMAL.replace(
                                "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, format: iceberg }"))
                        .lake()
                        .iceberg()
                        .orElseThrow())
                .as("a local Hadoop catalog in the lake for trials")
                .satisfies(i -> {
                    assertThat(i.type()).isEqualTo("hadoop");
                    assertThat(i.namespace()).isEqualTo("sluice");
                });
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL.replace("lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, format: delta }")))
                .hasMessage("lake.format: 'delta' is not a lake format; use hive (the default) or iceberg");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }",
                        "lake: { uri: /tmp/lake, format: iceberg, iceberg: { catalog: { type: rest } } }")))
                .hasMessageStartingWith("lake.iceberg.catalog.uri: a rest catalog needs its uri");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }",
                        "lake: { uri: /tmp/lake, format: iceberg, iceberg: { catalog: { type: rest, uri: "
                                + "\"http://127.0.0.1:8181\", properties: { credential: \"id:hunter2\" } } } }")))
                .hasMessageStartingWith("lake.iceberg.catalog.properties.credential: is a secret")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, iceberg: { namespace: x } }")))
                .hasMessageStartingWith("lake.iceberg: only read with format: iceberg");
        assertThat(config.lake().iceberg().orElseThrow().maintenance())
                .isEqualTo(io.sluice.sinks.IcebergMaintenance.DEFAULT);
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }",
                        "lake: { uri: /tmp/lake, format: iceberg, iceberg: { maintenance: { orphanAge: 10m } } }")))
                .hasMessageStartingWith("lake.iceberg.maintenance.orphanAge: must be at least 1h");
    }

    @Test
    void readsInProcessCompactionAndHttpSettings() {
        SluiceConfig config = ConfigLoader.parse(
                MINIMAL.replace(
                        "lake: { uri: /tmp/lake }",
                        "lake: { uri: /tmp/lake, compaction: { interval: 15m } }\nhttp: { port: 8080, bindAddress: 127.0.0.1 }"));

        assertThat(config.lake().compactEvery()).contains(Duration.ofMinutes(15));
        assertThat(config.http())
                .isEqualTo(new HttpSettings(
                        true,
                        "127.0.0.1",
                        8080,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        new HttpSettings.DimensionsListener(false, "127.0.0.1", 9465, null)));
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "http: { port: 70000 }\n"))
                .hasMessage("http.port: must be at most 65535");
    }

    @Test
    void readsAndChecksDedup() {
        SluiceConfig config = ConfigLoader.parse(MINIMAL + "dedup: [ { source: shop, retention: 6h } ]\n");

        assertThat(config.dedupFor("shop").retention()).isEqualTo(Duration.ofHours(6));
        assertThat(config.dedupFor("shop").keyFields()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "dedup: [ { source: shop, key: [id] } ]\n"))
                .hasMessageStartingWith("dedup[0].key: is not used for a Debezium source");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "dedup: [ { source: crm } ]\n"))
                .hasMessage("dedup[0].source: no source is named 'crm'");
        String mmp = MINIMAL.replace("sources:\n", "sources:\n  - { name: mmp, type: mmp, topics: [mmp.events] }\n");
        assertThatThrownBy(() -> ConfigLoader.parse(mmp + "dedup: [ { source: mmp } ]\n"))
                .hasMessageStartingWith("dedup[0].key: is required for an MMP source");
        assertThat(ConfigLoader.parse(
                                mmp
                                        + "dedup: [ { source: mmp, key: [appsflyer_id, event_name], inputKey: appsflyer_id } ]\n")
                        .dedupFor("mmp")
                        .repartitioned())
                .as("copies already share a partition")
                .isFalse();
        assertThatThrownBy(() -> ConfigLoader.parse(mmp
                        + "dedup: [ { source: mmp, key: [appsflyer_id, event_name], inputKey: customer_user_id } ]\n"))
                .hasMessageStartingWith("dedup[0].inputKey: 'customer_user_id' is not one of the key fields");
    }

    @Test
    void readsEventTimeBoundsAndRecordLimitsWithSafeDefaults() {
        SluiceConfig defaults = ConfigLoader.parse(MINIMAL);
        assertThat(defaults.sources().get(0).eventTimeBounds()).isEqualTo(EventTimeBounds.DEFAULT);
        assertThat(defaults.sources().get(0).maxRecordBytes()).isEqualTo(8L << 20);

        String mmp = MINIMAL.replace(
                "sources:\n",
                "sources:\n  - { name: mmp, type: mmp, topics: [mmp.events], maxRecordSize: 64KB,"
                        + " eventTimeBounds: { maxAhead: 1h, notBefore: 2015-06-01, implausible: dead-letter } }\n");
        SourceConfig source = ConfigLoader.parse(mmp).sources().get(0);
        assertThat(source.eventTimeBounds())
                .isEqualTo(new EventTimeBounds(
                        Duration.ofHours(1),
                        java.time.Instant.parse("2015-06-01T00:00:00Z"),
                        EventTimeBounds.Implausible.DEAD_LETTER));
        assertThat(source.maxRecordBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void rejectsEventTimeBoundsThatCouldNameAnImpossiblePartition() {
        String template = MINIMAL.replace(
                "sources:\n",
                "sources:\n  - { name: mmp, type: mmp, topics: [mmp.events], eventTimeBounds: { @@ } }\n");
        assertThatThrownBy(() -> ConfigLoader.parse(template.replace("@@", "maxAhead: 30d")))
                .hasMessageStartingWith("sources[0].eventTimeBounds.maxAhead: must be at most 7d");
        assertThatThrownBy(() -> ConfigLoader.parse(template.replace("@@", "notBefore: 0001-01-01")))
                .hasMessageStartingWith("sources[0].eventTimeBounds.notBefore: must be 1900-01-01 or later");
        assertThatThrownBy(() -> ConfigLoader.parse(template.replace("@@", "notBefore: yesterday")))
                .hasMessageStartingWith("sources[0].eventTimeBounds.notBefore: 'yesterday' is not a date");
        assertThatThrownBy(() -> ConfigLoader.parse(template.replace("@@", "implausible: drop")))
                .hasMessage("sources[0].eventTimeBounds.implausible: 'drop' is not use-arrival or dead-letter");
        assertThatThrownBy(() -> ConfigLoader.parse(template.replace("@@", "skew: 1h")))
                .hasMessageContaining("sources[0].eventTimeBounds.skew");
    }

    @Test
    void readsAndChecksAggregates() {
        String withAggregate = MINIMAL + """
                aggregates:
                  - { name: users_hourly, source: shop, window: { size: 1h, advance: 15m, grace: 5m }, groupBy: [tier],
                      measures: [count, { distinct: id }, { max: balance }], emit: early }
                """;
        SluiceConfig config = ConfigLoader.parse(withAggregate);

        AggregateConfig aggregate = config.aggregatesOf("shop").get(0);
        assertThat(aggregate.advance()).isEqualTo(Duration.ofMinutes(15));
        assertThat(aggregate.measures())
                .extracting(AggregateConfig.Measure::column)
                .containsExactly("count", "distinct_id", "max_balance");
        assertThat(aggregate.emitEarly()).isTrue();
        assertThat(aggregate.preAggregate()).isEqualTo(AggregateConfig.DEFAULT_PRE_AGGREGATE);
        assertThat(ConfigLoader.parse(withAggregate.replace("emit: early", "emit: early, preAggregate: 0s"))
                        .aggregatesOf("shop")
                        .get(0)
                        .preAggregate())
                .isZero();
        assertThatThrownBy(() -> ConfigLoader.parse(withAggregate.replace("emit: early", "preAggregate: 5m")))
                .hasMessageStartingWith("aggregates[0].preAggregate: must be between 0s");
        assertThatThrownBy(() -> ConfigLoader.parse(withAggregate.replace("advance: 15m", "advance: 25m")))
                .hasMessageStartingWith("aggregates[0].window.advance: must divide the window size");
        assertThatThrownBy(() -> ConfigLoader.parse(withAggregate.replace("{ max: balance }", "{ median: balance }")))
                .hasMessageStartingWith("aggregates[0].measures[2]: is not a measure");
        assertThatThrownBy(() -> ConfigLoader.parse(withAggregate.replace("window: { size: 1h,", "window: {")))
                .hasMessageStartingWith("aggregates[0].window.size: is required");
    }

    @Test
    void rejectsMissingRequiredKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("lake: { uri: /tmp/lake }", "")))
                .hasMessage("lake.uri: is required");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL.replace("kafka: { bootstrap.servers: \"broker:9092\" }", "kafka: {}")))
                .hasMessageStartingWith("kafka.bootstrap.servers: is required");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(", type: debezium", "")))
                .hasMessage("sources[0].type: is required");
    }

    @Test
    void rejectsBadValuesNamingKeyAndAlternatives() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("type: debezium", "type: kafka")))
                .hasMessage("sources[0].type: 'kafka' is not one of debezium, mmp");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("action: keep", "action: encrypt")))
                .hasMessageStartingWith("pii.rules[0].action: unknown action 'encrypt'");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, flush: { interval: soon } }")))
                .hasMessageStartingWith("lake.flush.interval: 'soon' is not a duration");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace(
                        "lake: { uri: /tmp/lake }", "lake: { uri: /tmp/lake, compaction: { targetFileSize: huge } }")))
                .hasMessageStartingWith("lake.compaction.targetFileSize: 'huge' is not a size");
    }

    @Test
    void rulesMustReferToConfiguredSourcesAndTables() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("table: users", "table: userz")))
                .hasMessage("pii.rules[0].table: no source has a table named 'userz'");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("{ table: users,", "{ source: crm, table: users,")))
                .hasMessage("pii.rules[0].source: no source is named 'crm'");
    }

    @Test
    void secretsAreNeverWrittenIntoTheConfiguration() {
        String literal = MINIMAL.replace("pii:\n", "pii:\n  key: \"my-secret-key-1234567\"\n");

        assertThatThrownBy(() -> ConfigLoader.parse(literal))
                .hasMessageStartingWith("pii.key: must name where the key comes from")
                .message()
                .doesNotContain("my-secret-key");
    }

    @Test
    void hashRulesNeedAKeyAndTheKeyMustBeSet() {
        String hashing = MINIMAL.replace("action: keep", "action: hash");
        assertThatThrownBy(() -> ConfigLoader.parse(hashing))
                .hasMessageStartingWith("pii.key: is required because a rule or detector hashes");

        SluiceConfig config = ConfigLoader.parse(hashing.replace("pii:\n", "pii:\n  key: { env: TEST_PII_KEY }\n"));
        assertThatThrownBy(() -> config.pii().toPolicy(Map.of()))
                .hasMessage("pii.key.env: environment variable TEST_PII_KEY is not set");
        assertThatThrownBy(() -> config.pii().toPolicy(Map.of("TEST_PII_KEY", "short")))
                .hasMessageStartingWith("pii.key: key must be at least 32 bytes");
        assertThat(config.pii()
                        .toPolicy(Map.of("TEST_PII_KEY", "a-long-enough-test-key-0123456789ab"))
                        .rules())
                .hasSize(1);
    }

    @Test
    void readsADimensionWithItsDefaults() {
        SluiceConfig config =
                ConfigLoader.parse(MINIMAL + "dimensions: [ { source: shop, table: users, key: [id] } ]\n");

        DimensionConfig users = config.dimensionFor("shop", "users");
        assertThat(users.spec().keyColumns()).containsExactly("id");
        assertThat(users.spec().deletes()).isEqualTo(io.sluice.dimensions.DeletesMode.INVALIDATE);
        assertThat(users.spec().naming()).isEqualTo(io.sluice.dimensions.ColumnNaming.SLUICE);
        assertThat(users.spec().retention()).isEqualTo(io.sluice.dimensions.DimensionSpec.DEFAULT_RETENTION);
    }

    @Test
    void readsEveryDimensionOption() {
        SluiceConfig config = ConfigLoader.parse(
                MINIMAL + "dimensions: [ { source: shop, table: users, key: [id], trackExcept: [last_seen],"
                        + " deletes: new_record, retention: 30d, columns: dbt } ]\n");

        var spec = config.dimensions().get(0).spec();
        assertThat(spec.trackExcept()).containsExactly("last_seen");
        assertThat(spec.deletes()).isEqualTo(io.sluice.dimensions.DeletesMode.NEW_RECORD);
        assertThat(spec.naming()).isEqualTo(io.sluice.dimensions.ColumnNaming.DBT);
        assertThat(spec.retention()).hasDays(30);
    }

    @Test
    void rejectsDimensionsThatCannotWork() {
        assertThatThrownBy(() ->
                        ConfigLoader.parse(MINIMAL + "dimensions: [ { source: crm, table: users, key: [id] } ]\n"))
                .hasMessage("dimensions[0].source: 'crm' is not a configured source");
        assertThatThrownBy(() ->
                        ConfigLoader.parse(MINIMAL + "dimensions: [ { source: shop, table: orders, key: [id] } ]\n"))
                .hasMessage("dimensions[0].table: 'orders' is not a table of source 'shop'; its tables are [users]");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "dimensions: [ { source: shop, table: users } ]\n"))
                .hasMessage("dimensions[0].key: is required: list the natural key columns");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL + "dimensions: [ { source: shop, table: users, key: [id], track: [a],"
                                + " trackExcept: [b] } ]\n"))
                .hasMessage("dimensions[0].trackExcept: set track or trackExcept, not both");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL + "dimensions: [ { source: shop, table: users, key: [id], deletes: purge } ]\n"))
                .hasMessageStartingWith("dimensions[0]")
                .hasMessageContaining("purge");
    }

    @Test
    void readsTheSchemaRegistrySectionWithCredentialsByReference() {
        SluiceConfig config = ConfigLoader.parse(MINIMAL + """
                schemaRegistry:
                  url: https://registry.internal:8081
                  subjectNameStrategy: topic-record
                  autoRegister: false
                  basicAuth: { env: SR_AUTH }
                  timeout: 3s
                """);

        SchemaRegistryConfig registry = config.schemaRegistry();
        assertThat(registry.settings(Map.of("SR_AUTH", "user:secret")))
                .satisfies(s -> assertThat(s.basicAuth()).isEqualTo("user:secret"))
                .satisfies(s ->
                        assertThat(s.strategy()).isEqualTo(io.sluice.serdes.registry.SubjectNameStrategy.TOPIC_RECORD))
                .satisfies(s -> assertThat(s.autoRegister()).isFalse())
                .satisfies(s -> assertThat(s.timeout()).hasSeconds(3))
                .satisfies(s -> assertThat(s.toString()).doesNotContain("secret"));
        assertThatThrownBy(() -> registry.settings(Map.of()))
                .hasMessage("schemaRegistry.basicAuth.env: environment variable SR_AUTH is not set");
        assertThat(ConfigLoader.parse(MINIMAL).schemaRegistry()).isNull();
    }

    @Test
    void rejectsABadSchemaRegistrySection() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "schemaRegistry: { url: registry:8081 }\n"))
                .hasMessageStartingWith("schemaRegistry.url: 'registry:8081' is not an http(s):// URL");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL + "schemaRegistry: { url: 'http://r', subjectNameStrategy: subject }\n"))
                .hasMessage("schemaRegistry.subjectNameStrategy: 'subject' is not topic, record or topic-record");
        assertThatThrownBy(() ->
                        ConfigLoader.parse(MINIMAL + "schemaRegistry: { url: 'http://r', autoRegister: yes please }\n"))
                .hasMessage("schemaRegistry.autoRegister: must be true or false");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL
                        + "schemaRegistry: { url: 'http://r', basicAuth: { env: A }, bearerToken: { env: B } }\n"))
                .hasMessage("schemaRegistry.bearerToken: set basicAuth or bearerToken, not both");
    }

    @Test
    void readsTheRegistryRetriesAndRejectsRetriesLongerThanAStreamThreadMayWait() {
        assertThat(ConfigLoader.parse(MINIMAL + "schemaRegistry: { url: 'http://r' }\n")
                        .schemaRegistry()
                        .retry())
                .isEqualTo(io.sluice.serdes.registry.RegistryRetry.DEFAULT);
        assertThat(ConfigLoader.parse(
                                MINIMAL + "schemaRegistry: { url: 'http://r', retry: { attempts: 3, backoff: 1s } }\n")
                        .schemaRegistry()
                        .retry())
                .isEqualTo(new io.sluice.serdes.registry.RegistryRetry(3, java.time.Duration.ofSeconds(1)));
        assertThatThrownBy(() ->
                        ConfigLoader.parse(MINIMAL + "schemaRegistry: { url: 'http://r', retry: { attempts: 11 } }\n"))
                .hasMessageStartingWith("schemaRegistry.retry.attempts: must be at most 10");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL + "schemaRegistry: { url: 'http://r', timeout: 60s, retry: { attempts: 3 } }\n"))
                .hasMessageStartingWith(
                        "schemaRegistry.retry: attempts × schemaRegistry.timeout plus the backoffs may take 180600 ms");
        assertThatThrownBy(() ->
                        ConfigLoader.parse(MINIMAL + "schemaRegistry: { url: 'http://r', retry: { tries: 3 } }\n"))
                .hasMessageStartingWith("schemaRegistry.retry.tries: unknown key");
    }

    @Test
    void rejectsATopicReadByTwoSources() {
        String twice = MINIMAL.replace(
                "sources:\n", "sources:\n  - { name: crm, type: debezium, topics: [shop.public.users] }\n");
        assertThatThrownBy(() -> ConfigLoader.parse(twice))
                .hasMessage("sources[1].topics[0]: topic 'shop.public.users' is already read by source 'crm'");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirPosition() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML at line");
    }

    @Test
    void readsEveryActionWithItsParameters() {
        SluiceConfig config =
                ConfigLoader.parse(MINIMAL.replace("    - { table: users, column: id, action: keep }\n", """
                    - { table: users, column: id, action: keep }
                    - { table: users, column: phone, action: mask, keepLast: 4 }
                    - { table: users, column: email, action: mask, style: email, keepFirst: 1 }
                    - { table: users, column: birth_date, action: generalize, to: age-band, bandWidth: 5 }
                    - { table: users, column: signup_ip, action: generalize, to: network, ipv4Prefix: 16 }
                    - { table: users, column: score, action: generalize, to: bucket, width: 100 }
                    - { table: users, column: bio, action: truncate, length: 10 }
                    - { table: users, column: "*_name", action: redact }
                    - { table: users, column: "prefs.email", action: drop }
                """));

        assertThat(config.pii().rules())
                .extracting(r -> r.action().configName())
                .containsExactly(
                        "keep", "mask", "mask", "generalize", "generalize", "generalize", "truncate", "redact", "drop");
        assertThat(config.pii().rules().get(8).columnText()).isEqualTo("prefs.email");
    }

    @Test
    void actionParametersAreCheckedPerAction() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("action: keep", "action: truncate")))
                .hasMessage("pii.rules[0].length: is required for action truncate");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("action: keep", "action: keep, keepLast: 4")))
                .hasMessageStartingWith("pii.rules[0].keepLast: unknown key");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("action: keep", "action: generalize, to: decade")))
                .hasMessageStartingWith("pii.rules[0].to: unknown target 'decade'");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("action: keep", "action: generalize, to: bucket")))
                .hasMessage("pii.rules[0].width: is required for to: bucket");
    }

    @Test
    void readsDetectorsAsNamesOrWithActions() {
        SluiceConfig config = ConfigLoader.parse(MINIMAL.replace("pii:\n", """
                pii:
                  key: { env: K }
                  detectors: [email, { detector: phone, action: hash }, kr-rrn]
                """));

        assertThat(config.pii().detectors())
                .containsEntry(io.sluice.pii.Detector.EMAIL, io.sluice.pii.DetectorAction.MASK)
                .containsEntry(io.sluice.pii.Detector.PHONE, io.sluice.pii.DetectorAction.HASH)
                .hasSize(3);
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("pii:\n", "pii:\n  detectors: [passport]\n")))
                .hasMessageStartingWith("pii.detectors[0]: unknown detector 'passport'");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL.replace("pii:\n", "pii:\n  detectors: [{ detector: email, action: hash }]\n")))
                .hasMessageStartingWith("pii.key: is required because a rule or detector hashes");
    }

    @Test
    void rotatesKeysWithTheWriterFirst() {
        SluiceConfig config = ConfigLoader.parse(
                MINIMAL.replace("action: keep", "action: hash").replace("pii:\n", """
                pii:
                  keys:
                    - { id: "2", env: NEW_KEY }
                    - { id: "1", env: OLD_KEY }
                """));
        Map<String, String> env =
                Map.of("NEW_KEY", "the-new-key-0123456789-0123456789", "OLD_KEY", "the-old-key-0123456789-0123456789");

        io.sluice.pii.MaskingPolicy policy = config.pii().toPolicy(env);
        Object id = policy.mask("shop", "users", Map.of("id", 1L), io.sluice.pii.MaskingObserver.NONE)
                .get("id");

        assertThat(id).asString().startsWith("k2:");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        MINIMAL.replace("pii:\n", "pii:\n  key: { env: A }\n  keys: [ { env: B } ]\n")))
                .hasMessage("pii.keys: set key or keys, not both");
    }
}
