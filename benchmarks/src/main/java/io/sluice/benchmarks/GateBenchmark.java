package io.sluice.benchmarks;

import io.sluice.pii.Detector;
import io.sluice.pii.DetectorAction;
import io.sluice.pii.Generalization;
import io.sluice.pii.MaskingAction;
import io.sluice.pii.MaskingObserver;
import io.sluice.pii.MaskingPolicy;
import io.sluice.pii.MaskingRule;
import io.sluice.pii.PartialMask;
import io.sluice.pii.PiiKey;
import io.sluice.pii.Pseudonymizer;
import io.sluice.pii.UnlistedColumns;
import io.sluice.serdes.CuratedRecordCodec;
import io.sluice.serdes.DebeziumJsonDecoder;
import io.sluice.serdes.DecodeException;
import io.sluice.serdes.DecodedRecord;
import io.sluice.serdes.MmpEventDecoder;
import io.sluice.serdes.avro.CuratedAvroWriter;
import io.sluice.serdes.registry.RegistrySettings;
import io.sluice.serdes.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record cost of the gate: decoding, masking and encoding one AppsFlyer event (32 fields,
 * {@code event_value} with 4 keys) and one Debezium CDC row (10 columns), with 7 rules and all five
 * detectors on. {@code mask*} alone against {@code gate*} (decode + mask + encode) gives masking's
 * share of the record's CPU in the streams step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GateBenchmark {
    private static final String MMP_TOPIC = "curated.mmp.events";
    private static final String MMP_RECORD = "io.sluice.curated.mmp.events";
    private static final String CDC_TOPIC = "curated.shop.users";
    private static final String CDC_RECORD = "io.sluice.curated.shop.users";
    // In-process registry: after a topic's first record the writer asks no registry, as in production.
    private final CuratedAvroWriter avro =
            new CuratedAvroWriter(SchemaRegistry.connect(RegistrySettings.of("mock://gate-benchmark")));
    private static final String MMP_EVENT = """
            {"appsflyer_id":"1690000007919-1000031","customer_user_id":"918273","event_name":"af_purchase",\
            "event_time":"2026-11-22 03:15:42.123","event_value":"{\\"af_revenue\\":\\"9.99\\",\\"af_currency\\":\\"USD\\",\
            \\"af_content_id\\":\\"comic-123\\",\\"email\\":\\"kim.minjun@example.com\\"}","event_revenue":9.99,\
            "event_revenue_currency":"USD","event_revenue_usd":9.99,"platform":"android","app_version":"5.2.1",\
            "app_id":"com.example.comics","bundle_id":"com.example.comics","advertising_id":"3f1c2a9e-7b6d-4e21-9a8b-0c1d2e3f4a5b",\
            "idfv":null,"android_id":null,"ip":"211.234.10.20","device_model":"SM-S918N","os_version":"14",\
            "country_code":"KR","city":"Seoul","region":"11","language":"ko-KR","media_source":"googleadwords_int",\
            "campaign":"winter_launch","af_adset":"lookalike_3pct","af_ad":"video_15s","install_time":"2026-11-01 10:00:00.000",\
            "attributed_touch_type":"click","is_retargeting":false,"sdk_version":"v6.14.0","carrier":"SKTelecom","wifi":true}""";
    private static final String CDC_ROW = """
            {"before":null,"after":{"id":918273,"email":"kim.minjun@example.com","full_name":"Kim Minjun",\
            "phone":"010-2345-6789","birth_date":7305,"city":"Seoul","tier":"gold","marketing_opt_in":true,\
            "created_at":1763700000000000,"updated_at":1763780000000000},"source":{"version":"3.6.1.Final",\
            "connector":"postgresql","name":"shop","ts_ms":1763780000000,"snapshot":"false","db":"shop","schema":"public",\
            "table":"users","txId":802,"lsn":24023512},"op":"u","ts_ms":1763780000150,"transaction":null}""";

    private MaskingPolicy policy;
    private MmpEventDecoder mmpDecoder;
    private DebeziumJsonDecoder cdcDecoder;
    private byte[] mmpBytes;
    private byte[] cdcBytes;
    private byte[] cdcKey;
    private DecodedRecord mmpRow;
    private DecodedRecord cdcRow;

    @Setup
    public void setUp() throws DecodeException {
        Pseudonymizer pseudonymizer = new Pseudonymizer(PiiKey.fromText("1", "benchmark-key-0123456789-0123456789"));
        Map<Detector, DetectorAction> detectors = new EnumMap<>(Detector.class);
        for (Detector d : Detector.values()) {
            detectors.put(d, DetectorAction.MASK);
        }
        policy = MaskingPolicy.of(
                List.of(
                        MaskingRule.of("mmp", null, "*", MaskingAction.KEEP),
                        MaskingRule.of("mmp", null, "customer_user_id", MaskingAction.HASH),
                        MaskingRule.of("mmp", null, "advertising_id", MaskingAction.HASH),
                        MaskingRule.of("mmp", null, "ip", MaskingAction.GENERALIZE, Generalization.network(24, 48)),
                        MaskingRule.of("mmp", null, "event_value.email", MaskingAction.HASH),
                        MaskingRule.of("mmp", null, "event_value.*", MaskingAction.KEEP),
                        MaskingRule.of("shop", "users", "id", MaskingAction.HASH),
                        MaskingRule.of("shop", "users", "email", MaskingAction.HASH),
                        MaskingRule.of("shop", "users", "phone", MaskingAction.MASK, new PartialMask(0, 4, false)),
                        MaskingRule.of(
                                "shop",
                                "users",
                                "birth_date",
                                MaskingAction.GENERALIZE,
                                Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO)),
                        MaskingRule.of("shop", "users", "city", MaskingAction.KEEP),
                        MaskingRule.of("shop", "users", "tier", MaskingAction.KEEP),
                        MaskingRule.of("shop", "users", "*_at", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                pseudonymizer,
                detectors);
        mmpDecoder = new MmpEventDecoder("events", "event_time");
        cdcDecoder = new DebeziumJsonDecoder("users");
        mmpBytes = MMP_EVENT.getBytes(StandardCharsets.UTF_8);
        cdcBytes = CDC_ROW.getBytes(StandardCharsets.UTF_8);
        cdcKey = "{\"id\":918273}".getBytes(StandardCharsets.UTF_8);
        mmpRow = (DecodedRecord) mmpDecoder.decode(mmpBytes);
        cdcRow = (DecodedRecord) cdcDecoder.decode(cdcKey, cdcBytes);
    }

    /** Masking one MMP event, already decoded. */
    @Benchmark
    public Map<String, Object> maskMmpEvent() {
        return policy.mask("mmp", "events", mmpRow.row(), MaskingObserver.NONE);
    }

    /** Masking one CDC row, already decoded, and its key. */
    @Benchmark
    public Map<String, Object> maskCdcRow() {
        policy.mask("shop", "users", cdcRow.key(), MaskingObserver.NONE);
        return policy.mask("shop", "users", cdcRow.row(), MaskingObserver.NONE);
    }

    /** Decode one MMP event (JSON in) and encode it as a curated Avro record, unmasked: the serdes cost alone. */
    @Benchmark
    public byte[] decodeEncodeMmpEvent() throws DecodeException {
        DecodedRecord row = (DecodedRecord) mmpDecoder.decode(mmpBytes);
        return avro.write(MMP_TOPIC, MMP_RECORD, "bench", Map.of(), CuratedRecordCodec.row(row, row.row()));
    }

    /** Decode one Debezium row (JSON in) and encode it as a curated Avro record with its JSON key, unmasked. */
    @Benchmark
    public byte[] decodeEncodeCdcRow() throws DecodeException {
        DecodedRecord row = (DecodedRecord) cdcDecoder.decode(cdcKey, cdcBytes);
        CuratedRecordCodec.encodeKey(row.key());
        return avro.write(CDC_TOPIC, CDC_RECORD, "bench", Map.of(), CuratedRecordCodec.row(row, row.row()));
    }

    /** Decode, mask and encode (Avro) one MMP event: the whole per-record work of the curate step. */
    @Benchmark
    public byte[] gateMmpEvent() throws DecodeException {
        DecodedRecord row = (DecodedRecord) mmpDecoder.decode(mmpBytes);
        return avro.write(
                MMP_TOPIC,
                MMP_RECORD,
                "bench",
                Map.of(),
                CuratedRecordCodec.row(row, policy.mask("mmp", "events", row.row(), MaskingObserver.NONE)));
    }

    /** Decode, mask and encode (Avro value, JSON key) one CDC row. */
    @Benchmark
    public byte[] gateCdcRow() throws DecodeException {
        DecodedRecord row = (DecodedRecord) cdcDecoder.decode(cdcKey, cdcBytes);
        CuratedRecordCodec.encodeKey(policy.mask("shop", "users", row.key(), MaskingObserver.NONE));
        return avro.write(
                CDC_TOPIC,
                CDC_RECORD,
                "bench",
                Map.of(),
                CuratedRecordCodec.row(row, policy.mask("shop", "users", row.row(), MaskingObserver.NONE)));
    }
}
