package io.sluice.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.dimensions.ColumnNaming;
import io.sluice.dimensions.DeletesMode;
import io.sluice.dimensions.DimensionSpec;
import io.sluice.pii.ColumnTransform;
import io.sluice.pii.Detector;
import io.sluice.pii.DetectorAction;
import io.sluice.pii.Generalization;
import io.sluice.pii.MaskingAction;
import io.sluice.pii.MaskingRule;
import io.sluice.pii.PartialMask;
import io.sluice.pii.Truncation;
import io.sluice.pii.UnlistedColumns;
import io.sluice.serdes.registry.RegistryRetry;
import io.sluice.serdes.registry.SubjectNameStrategy;
import io.sluice.sinks.CompactionSettings;
import io.sluice.sinks.Tier0Buffer;
import io.sluice.sinks.Tier0Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Reads and validates the YAML configuration into a {@link SluiceConfig}. Unknown keys, missing
 * required keys and bad values are {@link ConfigException}s naming the key. The complete reference
 * is in docs/configuration.md.
 */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // Results and stream time wait for a partial: longer than a minute only delays them.
    private static final java.time.Duration MAX_PRE_AGGREGATE = java.time.Duration.ofMinutes(1);
    private static final Pattern SOURCE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private ConfigLoader() {}

    /** Loads a configuration file. */
    public static SluiceConfig load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    /** Parses configuration text. */
    public static SluiceConfig parse(String yaml) {
        Object document;
        try {
            document = YAML.readValue(yaml, Object.class);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(
                    "",
                    "not valid YAML" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": " + e.getOriginalMessage());
        }
        ConfigNode root = ConfigNode.root(document);
        PassThrough kafka = passThrough(root.section("kafka"));
        if (!kafka.values().containsKey("bootstrap.servers")
                && !kafka.references().containsKey("bootstrap.servers")) {
            throw root.error(
                    "kafka.bootstrap.servers",
                    "is required (sluice demo and sluice replay replace it with their embedded broker)");
        }
        if (kafka.references().containsKey("application.id")) {
            throw root.error(
                    "kafka.application.id",
                    "names Sluice's topics, stores and groups, so it is written in the configuration, "
                            + "not read from elsewhere");
        }
        List<SourceConfig> sources = sources(root);
        PiiConfig pii = pii(root.section("pii"), sources);
        LakeConfig lake = lake(root.section("lake"));
        TopicSettings topics = topics(root.section("topics"));
        HttpSettings http = http(root.section("http"));
        List<DedupConfig> dedup = dedup(root, sources);
        List<AggregateConfig> aggregates = aggregates(root, sources);
        List<DimensionConfig> dimensions = dimensions(root, sources);
        SchemaRegistryConfig schemaRegistry =
                root.has("schemaRegistry") ? schemaRegistry(root.section("schemaRegistry")) : null;
        if (schemaRegistry != null) {
            checkRetryFitsPollInterval(root, schemaRegistry, kafka.values());
        }
        ReceiverConfig receiver = root.has("receiver") ? receiver(root.section("receiver"), sources, http) : null;
        ConfigNode deadLetter = root.section("deadLetter");
        String deadLetterTopic = deadLetter.string("topic", SluiceConfig.DEFAULT_DEAD_LETTER_TOPIC);
        deadLetter.finish();
        root.finish();
        return new SluiceConfig(
                kafka.values(),
                kafka.references(),
                sources,
                pii,
                lake,
                topics,
                http,
                deadLetterTopic,
                dedup,
                aggregates,
                schemaRegistry,
                dimensions,
                receiver);
    }

    private static List<SourceConfig> sources(ConfigNode root) {
        List<ConfigNode> nodes = root.sections("sources");
        if (nodes.isEmpty()) {
            throw root.error("sources", "is required: list at least one source");
        }
        List<SourceConfig> sources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> topicOwner = new HashMap<>();
        for (ConfigNode node : nodes) {
            String name = node.string("name");
            if (!SOURCE_NAME.matcher(name).matches()) {
                throw node.error(
                        "name",
                        "'" + name + "' must be lower-case letters, digits and underscores, starting with a letter");
            }
            if (!names.add(name)) {
                throw node.error("name", "another source is already named '" + name + "'");
            }
            SourceType type = enumValue(node, "type", SourceType.class, null);
            List<String> topics = node.strings("topics");
            if (topics.isEmpty()) {
                throw node.error("topics", "is required: list the topics this source reads");
            }
            String format = node.string("format", "json");
            if (!format.equals("json") && !format.equals("avro")) {
                throw node.error("format", "'" + format + "' is not json or avro");
            }
            if (format.equals("avro") && type == SourceType.MMP) {
                throw node.error("format", "MMP sources read JSON (what push APIs send); avro is for Debezium topics");
            }
            if (format.equals("avro") && !root.has("schemaRegistry")) {
                throw node.error(
                        "format", "avro needs the schemaRegistry section: the registry the Avro converter wrote to");
            }
            String eventTime = null;
            String table = null;
            List<String> eventValueKeys = List.of();
            boolean unknownToExtra = false;
            if (type == SourceType.MMP) {
                eventTime = node.string("eventTime", "event_time");
                table = node.string("table", "events");
                checkTableName(node, "table", table);
                eventValueKeys = node.strings("eventValueKeys");
                for (int i = 0; i < eventValueKeys.size(); i++) {
                    checkTableName(node, "eventValueKeys[" + i + "]", eventValueKeys.get(i));
                }
                String unknown = node.string("unknownFields", "extra");
                if (!unknown.equals("extra") && !unknown.equals("columns")) {
                    throw node.error("unknownFields", "'" + unknown + "' is not extra or columns");
                }
                unknownToExtra = unknown.equals("extra");
            }
            EventTimeBounds bounds = eventTimeBounds(node);
            long maxRecordBytes = node.bytes("maxRecordSize", SourceConfig.DEFAULT_MAX_RECORD_BYTES);
            if (maxRecordBytes < 1024) {
                throw node.error("maxRecordSize", "must be at least 1KB");
            }
            SourceConfig source = new SourceConfig(
                    name,
                    type,
                    topics,
                    eventTime,
                    table,
                    eventValueKeys,
                    unknownToExtra,
                    format.equals("avro"),
                    bounds,
                    maxRecordBytes);
            Set<String> tables = new HashSet<>();
            for (int i = 0; i < topics.size(); i++) {
                String topic = topics.get(i);
                String owner = topicOwner.putIfAbsent(topic, name);
                if (owner != null) {
                    throw node.error(
                            "topics[" + i + "]", "topic '" + topic + "' is already read by source '" + owner + "'");
                }
                if (type == SourceType.DEBEZIUM) {
                    checkTableName(node, "topics[" + i + "]", source.tableOf(topic));
                    if (!tables.add(source.tableOf(topic))) {
                        throw node.error(
                                "topics[" + i + "]",
                                "another topic of this source already feeds table '" + source.tableOf(topic) + "'");
                    }
                }
            }
            node.finish();
            sources.add(source);
        }
        return sources;
    }

    /** A source's {@code eventTimeBounds}: how far ahead and how far back its event times are trusted. */
    private static EventTimeBounds eventTimeBounds(ConfigNode source) {
        Optional<ConfigNode> section = source.optionalSection("eventTimeBounds");
        if (section.isEmpty()) {
            return EventTimeBounds.DEFAULT;
        }
        ConfigNode node = section.get();
        EventTimeBounds defaults = EventTimeBounds.DEFAULT;
        java.time.Duration maxAhead = node.duration("maxAhead", defaults.maxAhead());
        if (maxAhead.compareTo(EventTimeBounds.MAX_AHEAD_LIMIT) > 0) {
            throw node.error("maxAhead", "must be at most 7d: a clock further ahead is wrong, not skewed");
        }
        java.time.Instant notBefore = node.optionalString("notBefore")
                .map(text -> instant(node, "notBefore", text))
                .orElse(defaults.notBefore());
        if (notBefore.isBefore(EventTimeBounds.NOT_BEFORE_LIMIT)) {
            throw node.error("notBefore", "must be 1900-01-01 or later (lake partitions name four-digit years)");
        }
        EventTimeBounds.Implausible implausible = node.optionalString("implausible")
                .map(text -> {
                    EventTimeBounds.Implausible parsed = EventTimeBounds.Implausible.fromConfig(text);
                    if (parsed == null) {
                        throw node.error("implausible", "'" + text + "' is not use-arrival or dead-letter");
                    }
                    return parsed;
                })
                .orElse(defaults.implausible());
        node.finish();
        return new EventTimeBounds(maxAhead, notBefore, implausible);
    }

    /** A date ({@code 2000-01-01}, UTC midnight) or an ISO-8601 instant ({@code 2000-01-01T00:00:00Z}). */
    private static java.time.Instant instant(ConfigNode node, String key, String text) {
        String t = text.strip();
        try {
            return t.length() == 10
                    ? java.time.LocalDate.parse(t)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()
                    : java.time.Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw node.error(key, "'" + text + "' is not a date (2000-01-01) or an instant (2000-01-01T00:00:00Z)");
        }
    }

    private static void checkTableName(ConfigNode node, String key, String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw node.error(key, "table name '" + table + "' must be letters, digits and underscores");
        }
    }

    private static PiiConfig pii(ConfigNode node, List<SourceConfig> sources) {
        UnlistedColumns unlisted;
        try {
            unlisted = UnlistedColumns.fromConfig(node.string("unlisted", "drop"));
        } catch (IllegalArgumentException e) {
            throw node.error("unlisted", e.getMessage());
        }
        List<MaskingRule> rules = new ArrayList<>();
        for (ConfigNode rule : node.sections("rules")) {
            rules.add(rule(rule, sources));
        }
        List<PiiConfig.KeyRef> keys = keys(node);
        String encoding = node.string("hashEncoding", "base64url");
        if (!encoding.equals("base64url") && !encoding.equals("hex")) {
            throw node.error("hashEncoding", "'" + encoding + "' is not base64url or hex");
        }
        Map<Detector, DetectorAction> detectors = detectors(node);
        boolean hashes = rules.stream().anyMatch(r -> r.action() == MaskingAction.HASH)
                || detectors.containsValue(DetectorAction.HASH);
        if (keys.isEmpty() && hashes) {
            throw node.error("key", "is required because a rule or detector hashes: e.g. key: {env: SLUICE_PII_KEY}");
        }
        node.finish();
        return new PiiConfig(keys, encoding.equals("hex"), unlisted, rules, detectors);
    }

    private static MaskingRule rule(ConfigNode rule, List<SourceConfig> sources) {
        String source = rule.optionalString("source").orElse(null);
        String table = rule.optionalString("table").orElse(null);
        String column = rule.string("column");
        MaskingAction action;
        try {
            action = MaskingAction.fromConfig(rule.string("action"));
        } catch (IllegalArgumentException e) {
            throw rule.error("action", e.getMessage());
        }
        if (source != null
                && !source.contains("*")
                && sources.stream().noneMatch(s -> s.name().equals(source))) {
            throw rule.error("source", "no source is named '" + source + "'");
        }
        if (table != null && !table.contains("*") && sources.stream().noneMatch(s -> hasTable(s, table))) {
            throw rule.error("table", "no source has a table named '" + table + "'");
        }
        ColumnTransform transform;
        try {
            transform = switch (action) {
                case MASK ->
                    new PartialMask(
                            rule.nonNegativeInt("keepFirst", 0), rule.nonNegativeInt("keepLast", 0), maskStyle(rule));
                case TRUNCATE -> {
                    if (!rule.has("length")) {
                        throw rule.error("length", "is required for action truncate");
                    }
                    yield new Truncation(rule.positiveInt("length", 1));
                }
                case GENERALIZE -> generalization(rule);
                default -> null;
            };
            rule.finish();
            return MaskingRule.of(source, table, column, action, transform);
        } catch (IllegalArgumentException e) {
            throw rule.error("column", e.getMessage());
        }
    }

    private static boolean maskStyle(ConfigNode rule) {
        String style = rule.string("style", "partial");
        if (!style.equals("partial") && !style.equals("email")) {
            throw rule.error("style", "'" + style + "' is not partial or email");
        }
        return style.equals("email");
    }

    private static ColumnTransform generalization(ConfigNode rule) {
        Generalization.Target target;
        try {
            target = Generalization.Target.fromConfig(rule.string("to"));
        } catch (IllegalArgumentException e) {
            throw rule.error("to", e.getMessage());
        }
        return switch (target) {
            case YEAR, YEAR_MONTH -> Generalization.date(target, dateUnit(rule));
            case AGE_BAND ->
                Generalization.ageBand(rule.positiveInt("bandWidth", 10), dateUnit(rule), Clock.systemUTC());
            case NETWORK -> {
                int v4 = rule.nonNegativeInt("ipv4Prefix", 24);
                int v6 = rule.nonNegativeInt("ipv6Prefix", 48);
                if (v4 > 32 || v6 > 128) {
                    throw rule.error(v4 > 32 ? "ipv4Prefix" : "ipv6Prefix", "is longer than the address");
                }
                yield Generalization.network(v4, v6);
            }
            case BUCKET -> {
                if (!rule.has("width")) {
                    throw rule.error("width", "is required for to: bucket");
                }
                yield Generalization.bucket(rule.positiveInt("width", 1));
            }
        };
    }

    private static Generalization.DateUnit dateUnit(ConfigNode rule) {
        String unit = rule.string("from", "auto");
        try {
            return Generalization.DateUnit.valueOf(unit.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw rule.error("from", "'" + unit + "' is not auto, days, millis, micros or nanos");
        }
    }

    private static List<PiiConfig.KeyRef> keys(ConfigNode node) {
        List<PiiConfig.KeyRef> keys = new ArrayList<>();
        boolean single = node.has("key");
        boolean many = node.has("keys");
        if (single && many) {
            throw node.error("keys", "set key or keys, not both");
        }
        if (single) {
            ConfigNode k;
            try {
                k = node.optionalSection("key").orElseThrow();
            } catch (ConfigException e) {
                throw node.error(
                        "key",
                        "must name where the key comes from, {env: NAME} or {file: PATH}; "
                                + "secrets are never written into the configuration");
            }
            keys.add(keyRef(k));
        }
        if (many) {
            List<ConfigNode> list;
            try {
                list = node.sections("keys");
            } catch (ConfigException e) {
                throw node.error(
                        "keys",
                        "must list {id, env} or {id, file} entries, writer key first; "
                                + "secrets are never written into the configuration");
            }
            for (int i = 0; i < list.size(); i++) {
                keys.add(keyRef(list.get(i)));
            }
            if (keys.isEmpty()) {
                throw node.error("keys", "must list at least one key");
            }
        }
        return keys;
    }

    private static PiiConfig.KeyRef keyRef(ConfigNode k) {
        String id = k.string("id", "1");
        return new PiiConfig.KeyRef(id, secret(k));
    }

    private static Map<Detector, DetectorAction> detectors(ConfigNode node) {
        Map<Detector, DetectorAction> detectors = new java.util.LinkedHashMap<>();
        if (!node.has("detectors")) {
            return detectors;
        }
        List<Object> entries = node.list("detectors");
        for (int i = 0; i < entries.size(); i++) {
            String at = node.path("detectors") + "[" + i + "]";
            Object entry = entries.get(i);
            String name;
            String action = "mask";
            if (entry instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!"detector".equals(key) && !"action".equals(key)) {
                        throw new ConfigException(at + "." + key, "unknown key; known keys here: action, detector");
                    }
                }
                name = String.valueOf(map.get("detector"));
                action = map.get("action") == null ? action : String.valueOf(map.get("action"));
            } else {
                name = String.valueOf(entry);
            }
            try {
                if (detectors.put(Detector.fromConfig(name), DetectorAction.fromConfig(action)) != null) {
                    throw new ConfigException(at, "detector '" + name + "' is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at, e.getMessage());
            }
        }
        return detectors;
    }

    private static boolean hasTable(SourceConfig source, String table) {
        return source.topics().stream().anyMatch(t -> source.tableOf(t).equals(table));
    }

    private static LakeConfig lake(ConfigNode node) {
        String uri = node.string("uri");
        ConfigNode flush = node.section("flush");
        Tier0Buffer.FlushPolicy policy = new Tier0Buffer.FlushPolicy(
                flush.positiveInt("records", Tier0Buffer.FlushPolicy.DEFAULT.maxRecords()),
                flush.bytes("bytes", Tier0Buffer.FlushPolicy.DEFAULT.maxBytes()),
                flush.duration("interval", Tier0Buffer.FlushPolicy.DEFAULT.maxInterval()));
        flush.finish();
        ConfigNode compaction = node.section("compaction");
        CompactionSettings defaults = CompactionSettings.DEFAULT;
        String codecName = compaction.string("codec", "snappy");
        CompressionCodecName codec;
        try {
            codec = CompressionCodecName.valueOf(codecName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw compaction.error(
                    "codec", "'" + codecName + "' is not a Parquet codec; use snappy, zstd, gzip or uncompressed");
        }
        java.time.Duration leaseTtl = compaction.duration("leaseTtl", defaults.leaseTtl());
        if (leaseTtl.toSeconds() < 1) {
            throw compaction.error("leaseTtl", "must be at least 1s");
        }
        CompactionSettings settings = new CompactionSettings(
                compaction.duration("grace", defaults.grace()),
                compaction.bytes("targetFileSize", defaults.targetFileSize()),
                compaction.bytes("rowGroupSize", defaults.rowGroupSize()),
                codec,
                leaseTtl,
                compaction.duration("leaseWait", defaults.leaseWait()));
        java.util.Optional<java.time.Duration> every = compaction.has("interval")
                ? java.util.Optional.of(compaction.duration("interval", java.time.Duration.ZERO))
                : java.util.Optional.empty();
        if (every.isPresent() && every.get().isZero()) {
            throw compaction.error("interval", "must be longer than zero");
        }
        compaction.finish();
        ConfigNode tier0 = node.section("tier0");
        String formatName = tier0.string("format", Tier0Format.AVRO.configName());
        Tier0Format format;
        try {
            format = Tier0Format.fromConfig(formatName);
        } catch (IllegalArgumentException e) {
            throw tier0.error("format", e.getMessage());
        }
        tier0.finish();
        PassThrough hadoop = passThrough(node.section("hadoop"));
        String tableFormat = node.string("format", "hive");
        Optional<IcebergConfig> iceberg = Optional.empty();
        if (tableFormat.equals("iceberg")) {
            iceberg = Optional.of(iceberg(node.section("iceberg")));
        } else if (!tableFormat.equals("hive")) {
            throw node.error("format", "'" + tableFormat + "' is not a lake format; use hive (the default) or iceberg");
        } else if (node.has("iceberg")) {
            throw node.error("iceberg", "only read with format: iceberg");
        }
        node.finish();
        return new LakeConfig(uri, policy, format, settings, every, hadoop.values(), hadoop.references(), iceberg);
    }

    private static IcebergConfig iceberg(ConfigNode node) {
        ConfigNode catalog = node.section("catalog");
        String type = catalog.string("type", "hadoop");
        if (!io.sluice.sinks.IcebergCatalogSettings.TYPES.contains(type)) {
            throw catalog.error(
                    "type",
                    "'" + type + "' is not a catalog type; use " + io.sluice.sinks.IcebergCatalogSettings.TYPES);
        }
        Optional<String> uri = catalog.optionalString("uri");
        if (!type.equals("hadoop") && uri.isEmpty()) {
            throw catalog.error("uri", "a " + type + " catalog needs its uri (a JDBC URL or the REST endpoint)");
        }
        Optional<String> warehouse = catalog.optionalString("warehouse");
        PassThrough properties = passThrough(catalog.section("properties"));
        catalog.finish();
        String namespace = node.string("namespace", IcebergConfig.DEFAULT_NAMESPACE);
        ConfigNode maintenance = node.section("maintenance");
        io.sluice.sinks.IcebergMaintenance defaults = io.sluice.sinks.IcebergMaintenance.DEFAULT;
        io.sluice.sinks.IcebergMaintenance kept = new io.sluice.sinks.IcebergMaintenance(
                maintenance.duration("snapshotRetention", defaults.snapshotRetention()),
                maintenance.positiveInt("keepSnapshots", defaults.keepSnapshots()),
                maintenance.duration("orphanAge", defaults.orphanAge()));
        if (kept.orphanAge().compareTo(java.time.Duration.ofHours(1)) < 0) {
            throw maintenance.error(
                    "orphanAge", "must be at least 1h: a younger unreferenced file may belong to a commit in flight");
        }
        maintenance.finish();
        node.finish();
        return new IcebergConfig(
                type,
                uri.orElse(null),
                warehouse.orElse(null),
                namespace,
                properties.values(),
                properties.references(),
                kept);
    }

    /**
     * A section passed through to a client ({@code kafka:}, {@code lake.hadoop:}): values as written, and values
     * written as {@code {env: VARIABLE}} or {@code {file: PATH}}, read only when the client is built.
     *
     * @param values     the settings written as values
     * @param references the settings written as references, in the order written
     */
    private record PassThrough(Map<String, String> values, Map<String, SecretRef> references) {}

    /** Reads a pass-through section; a credential ({@link SecretKeys}) written as a value is an error naming its key. */
    private static PassThrough passThrough(ConfigNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, SecretRef> references = new LinkedHashMap<>();
        for (String key : node.keys()) {
            if (node.isReference(key)) {
                references.put(key, secret(node.section(key)));
                continue;
            }
            Optional<String> value = node.rawText(key);
            if (value.isPresent() && SecretKeys.isSecret(key)) {
                throw node.error(key, SecretKeys.LITERAL);
            }
            value.ifPresent(text -> values.put(key, text));
        }
        return new PassThrough(values, references);
    }

    private static List<DedupConfig> dedup(ConfigNode root, List<SourceConfig> sources) {
        List<DedupConfig> dedup = new ArrayList<>();
        for (ConfigNode node : root.sections("dedup")) {
            String name = node.string("source");
            SourceConfig source = sources.stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> node.error("source", "no source is named '" + name + "'"));
            if (dedup.stream().anyMatch(d -> d.source().equals(name))) {
                throw node.error("source", "source '" + name + "' is deduplicated by an earlier entry already");
            }
            List<String> key = node.strings("key");
            if (source.type() == SourceType.MMP && key.isEmpty()) {
                throw node.error(
                        "key",
                        "is required for an MMP source: the fields that identify an event, e.g. [appsflyer_id, event_name, event_time]");
            }
            if (source.type() == SourceType.DEBEZIUM && !key.isEmpty()) {
                throw node.error(
                        "key",
                        "is not used for a Debezium source: its changes are identified by record key and source position");
            }
            java.time.Duration retention = node.duration("retention", java.time.Duration.ofHours(24));
            if (retention.isZero()) {
                throw node.error("retention", "must be longer than zero");
            }
            java.time.Duration idleTimeout = node.duration("idleTimeout", DedupConfig.DEFAULT_IDLE_TIMEOUT);
            if (idleTimeout.isZero()) {
                throw node.error("idleTimeout", "must be longer than zero");
            }
            String inputKey = node.string("inputKey", null);
            if (inputKey != null && !key.contains(inputKey)) {
                throw node.error(
                        "inputKey",
                        "'" + inputKey + "' is not one of the key fields " + key
                                + ": copies share a partition only when the record key is part of their identity");
            }
            if (inputKey != null && source.topics().size() != 1) {
                throw node.error(
                        "inputKey",
                        "needs a source with one topic: copies in different topics do not share a partition");
            }
            node.finish();
            dedup.add(new DedupConfig(name, key, retention, idleTimeout, inputKey));
        }
        return dedup;
    }

    private static List<AggregateConfig> aggregates(ConfigNode root, List<SourceConfig> sources) {
        List<AggregateConfig> aggregates = new ArrayList<>();
        for (ConfigNode node : root.sections("aggregates")) {
            String name = node.string("name");
            checkTableName(node, "name", name);
            if (aggregates.stream().anyMatch(a -> a.name().equals(name))) {
                throw node.error("name", "another aggregate is already named '" + name + "'");
            }
            String source = node.string("source");
            if (sources.stream().noneMatch(s -> s.name().equals(source))) {
                throw node.error("source", "no source is named '" + source + "'");
            }
            ConfigNode window = node.section("window");
            java.time.Duration size = window.duration("size", null);
            if (size == null) {
                throw window.error("size", "is required, e.g. 1h");
            }
            java.time.Duration advance = window.duration("advance", size);
            java.time.Duration grace = window.duration("grace", java.time.Duration.ZERO);
            if (size.isZero()
                    || advance.isZero()
                    || advance.compareTo(size) > 0
                    || size.toMillis() % advance.toMillis() != 0) {
                throw window.error(
                        "advance", "must divide the window size (" + size + "); equal to it for tumbling windows");
            }
            window.finish();
            List<String> groupBy = node.strings("groupBy");
            List<AggregateConfig.Measure> measures = new ArrayList<>();
            List<Object> raw = node.list("measures");
            for (int i = 0; i < raw.size(); i++) {
                measures.add(measure(node.path("measures") + "[" + i + "]", raw.get(i)));
            }
            if (measures.isEmpty()) {
                throw node.error(
                        "measures",
                        "is required: e.g. [count, { distinct: customer_user_id }, { sum: event_revenue_usd }]");
            }
            String emit = node.string("emit", "final");
            if (!emit.equals("final") && !emit.equals("early")) {
                throw node.error("emit", "'" + emit + "' is not final or early");
            }
            java.time.Duration preAggregate = node.duration("preAggregate", AggregateConfig.DEFAULT_PRE_AGGREGATE);
            if (preAggregate.isNegative() || preAggregate.compareTo(MAX_PRE_AGGREGATE) > 0) {
                throw node.error(
                        "preAggregate",
                        "must be between 0s (every row travels to its group's partition) and " + MAX_PRE_AGGREGATE
                                + ": results wait that long");
            }
            node.finish();
            aggregates.add(new AggregateConfig(
                    name, source, size, advance, grace, groupBy, measures, emit.equals("early"), preAggregate));
        }
        return aggregates;
    }

    private static AggregateConfig.Measure measure(String at, Object raw) {
        if ("count".equals(raw)) {
            return new AggregateConfig.Measure(AggregateConfig.Kind.COUNT, null);
        }
        if (raw instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            String kind = String.valueOf(entry.getKey());
            for (AggregateConfig.Kind k : AggregateConfig.Kind.values()) {
                if (k != AggregateConfig.Kind.COUNT
                        && k.name().toLowerCase(Locale.ROOT).equals(kind)
                        && entry.getValue() != null) {
                    return new AggregateConfig.Measure(k, String.valueOf(entry.getValue()));
                }
            }
        }
        throw new ConfigException(
                at, "is not a measure; write count, or one of {sum: F}, {min: F}, {max: F}, {distinct: F}");
    }

    private static List<DimensionConfig> dimensions(ConfigNode root, List<SourceConfig> sources) {
        List<DimensionConfig> dimensions = new ArrayList<>();
        Set<String> tables = new HashSet<>();
        for (ConfigNode node : root.sections("dimensions")) {
            String sourceName = node.string("source");
            SourceConfig source = sources.stream()
                    .filter(s -> s.name().equals(sourceName))
                    .findFirst()
                    .orElseThrow(() -> node.error("source", "'" + sourceName + "' is not a configured source"));
            if (source.type() != SourceType.DEBEZIUM) {
                throw node.error(
                        "source",
                        "'" + sourceName + "' is not a debezium source: dimension history follows change events");
            }
            String table = node.string("table");
            List<String> sourceTables =
                    source.topics().stream().map(source::tableOf).toList();
            if (!sourceTables.contains(table)) {
                throw node.error(
                        "table",
                        "'" + table + "' is not a table of source '" + sourceName + "'; its tables are "
                                + sourceTables);
            }
            if (!tables.add(table)) {
                throw node.error(
                        "table", "another dimension already keeps the history of a table named '" + table + "'");
            }
            List<String> key = node.strings("key");
            if (key.isEmpty()) {
                throw node.error("key", "is required: list the natural key columns");
            }
            List<String> track = node.has("track") ? node.strings("track") : null;
            List<String> trackExcept = node.has("trackExcept") ? node.strings("trackExcept") : null;
            if (track != null && trackExcept != null) {
                throw node.error("trackExcept", "set track or trackExcept, not both");
            }
            String deletes = node.string("deletes", DeletesMode.INVALIDATE.configName());
            String naming = node.string("columns", ColumnNaming.SLUICE.configName());
            java.time.Duration retention = node.duration("retention", DimensionSpec.DEFAULT_RETENTION);
            DimensionSpec spec;
            try {
                DimensionSpec.Builder builder = DimensionSpec.builder(table, key.toArray(String[]::new))
                        .deletes(DeletesMode.ofConfigName(deletes))
                        .naming(ColumnNaming.ofConfigName(naming))
                        .retention(retention);
                if (track != null) {
                    builder.track(track.toArray(String[]::new));
                }
                if (trackExcept != null) {
                    builder.trackExcept(trackExcept.toArray(String[]::new));
                }
                spec = builder.build();
            } catch (IllegalArgumentException e) {
                throw node.error("", e.getMessage());
            }
            node.finish();
            dimensions.add(new DimensionConfig(sourceName, spec));
        }
        return dimensions;
    }

    private static SchemaRegistryConfig schemaRegistry(ConfigNode node) {
        // The address may be a reference (a URL with credentials in it, or one per environment); it is checked when
        // read.
        String url = node.isReference("url")
                ? null
                : SchemaRegistryConfig.checkedUrl(node.path("url"), node.string("url"), true);
        SecretRef urlReference = node.isReference("url") ? secret(node.section("url")) : null;
        SubjectNameStrategy strategy;
        String strategyName = node.string("subjectNameStrategy", "topic");
        try {
            strategy = SubjectNameStrategy.fromConfig(strategyName);
        } catch (IllegalArgumentException e) {
            throw node.error("subjectNameStrategy", "'" + strategyName + "' is not topic, record or topic-record");
        }
        boolean autoRegister = node.bool("autoRegister", true);
        boolean useLatestVersion = node.bool("useLatestVersion", false);
        SecretRef basicAuth = credential(node, "basicAuth");
        SecretRef bearerToken = credential(node, "bearerToken");
        if (basicAuth != null && bearerToken != null) {
            throw node.error("bearerToken", "set basicAuth or bearerToken, not both");
        }
        java.time.Duration timeout = node.duration("timeout", java.time.Duration.ofSeconds(10));
        RegistryRetry retry = registryRetry(node.section("retry"));
        node.finish();
        return new SchemaRegistryConfig(
                url, urlReference, strategy, autoRegister, useLatestVersion, basicAuth, bearerToken, timeout, retry);
    }

    /** {@code schemaRegistry.retry}: tries and the first wait, for a registry that is down. */
    private static RegistryRetry registryRetry(ConfigNode node) {
        int attempts = node.positiveInt("attempts", RegistryRetry.DEFAULT.attempts());
        if (attempts > RegistryRetry.MAX_ATTEMPTS) {
            throw node.error(
                    "attempts",
                    "must be at most " + RegistryRetry.MAX_ATTEMPTS
                            + ": a stream thread waits out every try on one record");
        }
        java.time.Duration backoff = node.duration("backoff", RegistryRetry.DEFAULT.backoff());
        if (backoff.isNegative()) {
            throw node.error("backoff", "must not be negative");
        }
        node.finish();
        return new RegistryRetry(attempts, backoff);
    }

    /**
     * A stream thread waits out every registry try on one record without polling; past the consumer's
     * max.poll.interval.ms the group would drop it, so the retries must fit well within it.
     */
    private static void checkRetryFitsPollInterval(
            ConfigNode root, SchemaRegistryConfig registry, Map<String, String> kafka) {
        String configured = kafka.getOrDefault(
                "main.consumer.max.poll.interval.ms",
                kafka.getOrDefault("consumer.max.poll.interval.ms", kafka.get("max.poll.interval.ms")));
        long pollInterval;
        try {
            pollInterval = configured == null ? 300_000 : Long.parseLong(configured.trim());
        } catch (NumberFormatException e) {
            return; // Kafka's own validation names it
        }
        java.time.Duration worst = registry.retry().worstCase(registry.timeout());
        if (worst.toMillis() * 2 > pollInterval) {
            throw root.error(
                    "schemaRegistry.retry",
                    "attempts × schemaRegistry.timeout plus the backoffs may take " + worst.toMillis()
                            + " ms, more than half of max.poll.interval.ms (" + pollInterval
                            + " ms): a stream thread waiting that long on one "
                            + "record is dropped from the group; use fewer attempts or a shorter timeout");
        }
    }

    /** A setting that is always a credential: a reference, or absent; a value written in the file is an error naming the key. */
    private static SecretRef credential(ConfigNode node, String key) {
        if (!node.has(key)) {
            return null;
        }
        if (!node.isReference(key)) {
            throw node.error(key, SecretKeys.LITERAL);
        }
        return secret(node.section(key));
    }

    private static SecretRef secret(ConfigNode node) {
        Optional<String> env = node.optionalString("env");
        Optional<String> file = node.optionalString("file");
        if (env.isPresent() == file.isPresent()) {
            throw node.error("", "set exactly one of env or file; secrets are never written into the configuration");
        }
        node.finish();
        return new SecretRef(node.path(""), env.orElse(null), file.map(Path::of).orElse(null));
    }

    private static HttpSettings http(ConfigNode node) {
        HttpSettings defaults = HttpSettings.DEFAULT;
        boolean enabled = node.bool("enabled", true);
        String bindAddress = node.string("bindAddress", defaults.bindAddress());
        int port = port(node, "port", defaults.port());
        java.time.Duration readTimeout = positive(node, "readTimeout", defaults.readTimeout());
        java.time.Duration requestTimeout = positive(node, "requestTimeout", defaults.requestTimeout());
        if (requestTimeout.compareTo(readTimeout) < 0) {
            throw node.error("requestTimeout", "must be at least http.readTimeout: reading the request is part of it");
        }
        HttpSettings.DimensionsListener dimensions = dimensionsListener(node.section("dimensions"), bindAddress, port);
        node.finish();
        return new HttpSettings(enabled, bindAddress, port, readTimeout, requestTimeout, dimensions);
    }

    /**
     * {@code receiver:}: the topic (by default the one topic of the one MMP source), the listener, request limits, the spool
     * and the apps with their tokens.
     */
    private static ReceiverConfig receiver(ConfigNode node, List<SourceConfig> sources, HttpSettings http) {
        List<String> mmpTopics = sources.stream()
                .filter(s -> s.type() == SourceType.MMP)
                .flatMap(s -> s.topics().stream())
                .toList();
        String topic = node.optionalString("topic").orElse(mmpTopics.size() == 1 ? mmpTopics.get(0) : null);
        if (topic == null) {
            throw node.error("topic", "is required unless exactly one MMP source with one topic is configured");
        }
        String bindAddress = node.string("bindAddress", "0.0.0.0");
        int port = port(node, "port", 8080);
        if (port == http.port()) {
            throw node.error(
                    "port", "must differ from http.port: pushes come from the internet, metrics and probes must not");
        }
        long maxBodySize = node.bytes("maxBodySize", 256L << 10);
        if (maxBodySize < 1 || maxBodySize > 960L << 10) {
            throw node.error(
                    "maxBodySize", "must be between 1 byte and 960KB: a push must fit one Kafka request (1MB)");
        }
        long maxHeaderSize = node.bytes("maxHeaderSize", 16L << 10);
        if (maxHeaderSize < 1024 || maxHeaderSize > 1L << 20) {
            throw node.error("maxHeaderSize", "must be between 1KB and 1MB");
        }
        java.time.Duration readTimeout = positive(node, "readTimeout", java.time.Duration.ofSeconds(5));
        java.time.Duration requestTimeout = positive(node, "requestTimeout", java.time.Duration.ofSeconds(10));
        if (requestTimeout.compareTo(readTimeout) < 0) {
            throw node.error(
                    "requestTimeout", "must be at least receiver.readTimeout: reading the request is part of it");
        }
        ConfigNode spool = node.section("spool");
        Path spoolDir = Path.of(spool.string("dir", "/var/lib/sluice/spool"));
        long spoolMaxSize = spool.bytes("maxSize", 1L << 30);
        if (spoolMaxSize < 1L << 20) {
            throw spool.error("maxSize", "must be at least 1MB");
        }
        int readyBelow = spool.positiveInt("readyBelowPercent", 50);
        if (readyBelow > 100) {
            throw spool.error("readyBelowPercent", "must be at most 100");
        }
        spool.finish();
        List<ConfigNode> appNodes = node.sections("apps");
        if (appNodes.isEmpty()) {
            throw node.error("apps", "is required: list each app id pushes come for, with its token ({file: PATH})");
        }
        List<ReceiverConfig.App> apps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigNode app : appNodes) {
            String id = app.string("id");
            if (!id.matches("[A-Za-z0-9._-]{1,200}")) {
                throw app.error("id", "must be letters, digits, '.', '_' or '-' (it is the path /push/<id>)");
            }
            if (!ids.add(id)) {
                throw app.error("id", "names an app already listed");
            }
            SecretRef token = credential(app, "token");
            if (token == null) {
                throw app.error("token", "is required: {file: /path/to/mounted/token} (or {env: VARIABLE})");
            }
            app.finish();
            apps.add(new ReceiverConfig.App(id, token));
        }
        node.finish();
        return new ReceiverConfig(
                topic,
                bindAddress,
                port,
                maxBodySize,
                maxHeaderSize,
                readTimeout,
                requestTimeout,
                spoolDir,
                spoolMaxSize,
                readyBelow,
                apps);
    }

    /** {@code http.dimensions}: off unless enabled, and then only with a token, on a port of its own. */
    private static HttpSettings.DimensionsListener dimensionsListener(
            ConfigNode node, String defaultBindAddress, int opsPort) {
        HttpSettings.DimensionsListener off = HttpSettings.DimensionsListener.OFF;
        boolean enabled = node.bool("enabled", false);
        String bindAddress = node.string("bindAddress", defaultBindAddress);
        int port = port(node, "port", off.port());
        SecretRef token = credential(node, "token");
        if (enabled && port == opsPort) {
            throw node.error(
                    "port",
                    "must differ from http.port: queries that wait on other pods must never hold the probes' threads");
        }
        if (enabled && token == null) {
            throw node.error(
                    "token",
                    "is required when /dimensions is enabled: {file: /path/to/mounted/token} (or {env: VARIABLE}); "
                            + "dimension rows are data and are never served without it");
        }
        node.finish();
        return new HttpSettings.DimensionsListener(enabled, bindAddress, port, token);
    }

    private static int port(ConfigNode node, String key, int defaultPort) {
        int port = node.positiveInt(key, defaultPort);
        if (port > 65_535) {
            throw node.error(key, "must be at most 65535");
        }
        return port;
    }

    private static java.time.Duration positive(ConfigNode node, String key, java.time.Duration defaultValue) {
        java.time.Duration value = node.duration(key, defaultValue);
        if (value.isZero() || value.isNegative()) {
            throw node.error(key, "must be longer than zero");
        }
        return value;
    }

    private static TopicSettings topics(ConfigNode node) {
        Optional<Integer> partitions =
                node.has("partitions") ? Optional.of(node.positiveInt("partitions", 1)) : Optional.empty();
        Optional<Short> replication = Optional.empty();
        if (node.has("replicationFactor")) {
            int rf = node.positiveInt("replicationFactor", 1);
            if (rf > Short.MAX_VALUE) {
                throw node.error("replicationFactor", "is too large");
            }
            replication = Optional.of((short) rf);
        }
        String timestamps = node.string("timestamps", "append");
        if (!timestamps.equals("append") && !timestamps.equals("event")) {
            throw node.error("timestamps", "'" + timestamps + "' is not append or event");
        }
        node.finish();
        return new TopicSettings(partitions, replication, timestamps.equals("append"));
    }

    private static <E extends Enum<E>> E enumValue(ConfigNode node, String key, Class<E> type, E defaultValue) {
        Optional<String> text = node.optionalString(key);
        if (text.isEmpty()) {
            if (defaultValue == null) {
                throw node.error(key, "is required");
            }
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, text.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw node.error(key, "'" + text.get() + "' is not one of " + String.join(", ", allowed));
        }
    }
}
