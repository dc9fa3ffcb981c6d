package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.ConfigException;
import io.sluice.config.DimensionConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.pii.Pseudonymizer;
import io.sluice.runtime.ClientProperties;
import io.sluice.serdes.CuratedRecordCodec;
import io.sluice.sinks.CompactionReport;
import io.sluice.sinks.LakeErasure;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.topology.TopologyNames;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice erase}: removes a data subject's rows from the lake and tombstones their keys in Sluice's compacted topics. */
@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        description = "Erases a data subject (GDPR art. 17, PIPA art. 36): every lake row whose given columns hold the"
                + " subject's pseudonym — under every key of the keyring — is removed from every table (Hive layout:"
                + " the files rewritten, each replaced in one rename; Iceberg: rewritten in one commit per table, older"
                + " snapshots expired so the bytes are gone); pending tier-0 objects are compacted first; the subject's"
                + " keys get tombstones in dim.<table>.history and dim.<table>.current. An audit record without any raw"
                + " value or pseudonym goes to <lake>/_erasure/. Not reached: topics that are not compacted keep the"
                + " subject until their retention removes it, and copies downstream consumers made.")
final class EraseCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @ArgGroup(multiplicity = "1")
    Identifier identifier;

    /** The subject, by a raw value or by pseudonyms. */
    static final class Identifier {
        @Option(
                names = "--value",
                paramLabel = "VALUE",
                description = "The subject's raw identifier (an e-mail, a user id): pseudonymized here under every key"
                        + " of the keyring, never written anywhere.")
        String value;

        @Option(
                names = "--pseudonym",
                paramLabel = "k<id>:…",
                description = "A pseudonym of the subject, when the raw value is not at hand (repeatable).")
        List<String> pseudonyms;
    }

    @Option(
            names = "--column",
            required = true,
            paramLabel = "COLUMN",
            description = "A lake column that may hold the subject (repeatable), e.g. --column email --column "
                    + "customer_user_id. A JSON text column (a nested value) matches when the pseudonym is inside it.")
    List<String> columns;

    @Option(names = "--dry-run", description = "Only count: which tables, files and rows would change.")
    boolean dryRun;

    @Option(
            names = "--skip-topics",
            description =
                    "Do not tombstone keys in the compacted topics (e.g. the cluster of a lake copied elsewhere).")
    boolean skipTopics;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Written into the audit record (a ticket id).")
    String reason;

    @Option(
            names = "--lake",
            paramLabel = "URI",
            description = "Erase from this lake instead of lake.uri (a copy, or the lake sluice demo wrote).")
    String lakeUri;

    @Override
    public Integer call() throws Exception {
        SluiceConfig configured = config.load();
        SluiceConfig loaded = lakeUri == null
                ? configured
                : configured.withLake(configured.lake().at(lakeUri));
        Set<String> pseudonyms = pseudonyms(loaded);
        LakeErasure.Subject subject = new LakeErasure.Subject(pseudonyms, new LinkedHashSet<>(columns));
        LakeFileSystem lake = loaded.lake().open();
        if (!dryRun) {
            // the subject may be in rows not compacted yet: every pending hour goes into the tables first (late rows
            // for those hours merge in later, as always)
            CompactionReport compaction = loaded.lake().compactor(lake).compact(hour -> true);
            if (!compaction.failedHours().isEmpty() || compaction.skippedForLease()) {
                out().printf("the compaction pass before the erasure did not complete; nothing erased, run again%n");
                return 1;
            }
        }
        LakeErasure.Report report = loaded.lake().erasure(lake).erase(subject, dryRun);
        Map<String, Integer> tombstones = dryRun || skipTopics ? Map.of() : tombstoneKeys(loaded, report.removedRows());
        print(report, tombstones);
        if (!dryRun) {
            audit(lake, loaded, pseudonyms, report, tombstones);
        }
        return 0;
    }

    private Set<String> pseudonyms(SluiceConfig loaded) {
        if (identifier.value == null) {
            return new TreeSet<>(identifier.pseudonyms);
        }
        Pseudonymizer pseudonymizer = loaded.pii().pseudonymizer(System.getenv());
        if (pseudonymizer == null) {
            throw new ConfigException(
                    "pii.key",
                    "no key is configured, so nothing was pseudonymized: erase by column value is not supported here");
        }
        Set<String> all = new TreeSet<>();
        pseudonymizer.knownKeyIds().forEach(id -> all.add(pseudonymizer.pseudonymWith(id, identifier.value)));
        return all;
    }

    /** Tombstones for the subject's versions (by scd_id) and current rows (by natural key) in each dimension's topics. */
    private Map<String, Integer> tombstoneKeys(SluiceConfig loaded, Map<String, List<Map<String, Object>>> removed) {
        Map<String, Set<String>> keysByTopic = new TreeMap<>();
        // a history tombstone names its version's hour, as the topology's do: the lake sink applies it there too
        Map<String, Object> eventTimeOfScdId = new java.util.HashMap<>();
        for (DimensionConfig dimension : loaded.dimensions()) {
            List<Map<String, Object>> rows = removed.getOrDefault("dim_" + dimension.table() + "_history", List.of());
            String scdId = dimension.spec().naming().scdId();
            for (Map<String, Object> row : rows) {
                if (row.get(scdId) != null) {
                    keysByTopic
                            .computeIfAbsent(TopologyNames.dimensionHistory(dimension.table()), t -> new TreeSet<>())
                            .add(row.get(scdId).toString());
                    eventTimeOfScdId.put(
                            row.get(scdId).toString(), row.get(io.sluice.schemas.CuratedFields.EVENT_TIME));
                }
                Map<String, Object> naturalKey = new LinkedHashMap<>();
                dimension.spec().keyColumns().forEach(column -> naturalKey.put(column, row.get(column)));
                keysByTopic
                        .computeIfAbsent(TopologyNames.dimensionCurrent(dimension.table()), t -> new TreeSet<>())
                        .add(new String(CuratedRecordCodec.json(naturalKey), StandardCharsets.UTF_8));
            }
        }
        Map<String, Integer> written = new TreeMap<>();
        if (keysByTopic.isEmpty()) {
            return written;
        }
        java.util.Properties props = ClientProperties.producer(loaded.kafkaProperties(System.getenv()));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            keysByTopic.forEach((topic, keys) -> {
                keys.forEach(key -> {
                    ProducerRecord<byte[], byte[]> tombstone =
                            new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), null);
                    Object eventTime = topic.endsWith(".history") ? eventTimeOfScdId.get(key) : null;
                    if (eventTime instanceof Number ms) {
                        tombstone
                                .headers()
                                .add(
                                        io.sluice.schemas.CuratedFields.TOMBSTONE_EVENT_TIME_HEADER,
                                        Long.toString(ms.longValue()).getBytes(StandardCharsets.US_ASCII));
                    }
                    sent.add(producer.send(tombstone));
                });
                written.put(topic, keys.size());
            });
            producer.flush();
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing tombstones", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "the lake is erased, but tombstones could not be written (" + e.getCause()
                            + "); run again with the cluster reachable",
                    e.getCause());
        }
        return written;
    }

    private void print(LakeErasure.Report report, Map<String, Integer> tombstones) {
        if (report.rowsByTable().isEmpty()) {
            out().printf("no lake row carries the subject in columns %s%n", columns);
        }
        report.rowsByTable()
                .forEach((table, rows) -> out().printf(
                                dryRun
                                        ? "%-30s would remove %d row(s), rewrite %d file(s)%n"
                                        : "%-30s removed %d row(s), rewrote %d file(s)%n",
                                table,
                                rows,
                                report.filesByTable().getOrDefault(table, 0)));
        if (dryRun && report.tier0Rows() > 0) {
            out().printf(
                            "%d row(s) in tier-0 objects not compacted yet carry the subject; the erasure compacts them first%n",
                            report.tier0Rows());
        }
        tombstones.forEach((topic, keys) -> out().printf("%-30s %d tombstone(s) written%n", topic, keys));
        out().println(
                        "not reached: topics that are not compacted (curated.*, agg.*, sluice.dlq) keep the subject until their"
                                + " retention removes it; copies consumers made are theirs to erase");
    }

    /** The audit record: what was erased where, with digests of the pseudonyms, never a raw value or a pseudonym. */
    private void audit(
            LakeFileSystem lake,
            SluiceConfig loaded,
            Set<String> pseudonyms,
            LakeErasure.Report report,
            Map<String, Integer> tombstones)
            throws Exception {
        ObjectNode record = JSON.createObjectNode();
        String at = Instant.now().toString();
        record.put("at", at);
        record.put("identifiedBy", identifier.value != null ? "value" : "pseudonym");
        if (reason != null) {
            record.put("reason", reason);
        }
        record.putPOJO("columns", columns);
        List<String> digests = new ArrayList<>();
        List<String> keyIds = new ArrayList<>();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String pseudonym : pseudonyms) {
            digests.add(HexFormat.of().formatHex(sha256.digest(pseudonym.getBytes(StandardCharsets.UTF_8))));
            keyIds.add(pseudonym.substring(1, Math.max(1, pseudonym.indexOf(':'))));
        }
        record.putPOJO("keyIds", keyIds);
        record.putPOJO("pseudonymSha256", digests);
        record.put("lakeFormat", loaded.lake().format());
        ObjectNode tables = record.putObject("tables");
        report.rowsByTable()
                .forEach((table, rows) -> tables.putObject(table)
                        .put("rows", rows)
                        .put("files", report.filesByTable().getOrDefault(table, 0)));
        record.putPOJO("topicTombstones", tombstones);
        Path file = new Path(
                new Path(lake.root(), "_erasure"),
                at.replace(':', '-') + "-" + UUID.randomUUID().toString().substring(0, 8) + ".json");
        try (OutputStream out = lake.fs().create(file, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        }
        out().printf("audit record: %s%n", file);
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
