package io.sluice.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.replay.InputRecord;
import io.sluice.serdes.EventTimeParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates the demo's input: a shop database's Debezium change stream ({@code users} in the plain
 * JSON converter form, {@code orders} with the schema wrapper; snapshot reads, inserts, updates,
 * deletes with tombstones) and AppsFlyer-style push events, spread over several event-time hours,
 * with the faults real feeds have: re-delivered CDC events, retried MMP pushes, late events, a
 * few undecodable records, and hostile ones (wrong clocks, personal data where detectors must dig). Deterministic for a given seed and start hour.
 */
public final class DemoDataGenerator {
    static final String USERS = "shop.public.users";
    static final String ORDERS = "shop.public.orders";
    static final String EVENTS = "mmp.appsflyer.events";
    /** The campaign of the demo's hostile events: {@code hostile-<what>}. */
    public static final String HOSTILE_CAMPAIGN_PREFIX = "hostile-";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String[] CITIES = {"Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju"};
    private static final String[] TIERS = {"bronze", "silver", "gold"};
    private static final String[] FAMILY = {"Kim", "Lee", "Park", "Choi", "Jung", "Kang"};
    private static final String[] GIVEN = {"Minjun", "Seoyeon", "Jiho", "Hayun", "Doyun", "Jiwoo"};
    private static final String[] EVENT_NAMES = {
        "af_app_opened",
        "af_app_opened",
        "af_app_opened",
        "af_content_view",
        "af_content_view",
        "af_purchase",
        "af_complete_registration"
    };
    private static final String[] SCREENS = {"home", "viewer", "store", "search"};

    private final Random random;
    private final long startMs;
    private final int hours;
    private final int scale;
    private final List<Timed> out = new ArrayList<>();
    private final DemoFacts.Builder facts = new DemoFacts.Builder();
    private long lsn = 24_000_000L;
    private long txId = 5_000L;

    /**
     * @param seed    random seed
     * @param startMs first event hour (epoch ms, on the hour)
     * @param hours   how many event hours to spread events over
     * @param scale   multiplies the number of entities and events
     */
    public DemoDataGenerator(long seed, long startMs, int hours, int scale) {
        this.random = new Random(seed);
        this.startMs = startMs;
        this.hours = hours;
        this.scale = scale;
    }

    /** Generates the input, ordered by arrival. */
    public Generated generate() {
        int users = 120 * scale;
        Map<Long, ObjectNode> live = new HashMap<>();
        for (long id = 1; id <= users; id++) {
            ObjectNode row =
                    user(id, startMs - Duration.ofDays(30 + random.nextInt(700)).toMillis());
            live.put(id, row);
            cdc(USERS, "r", null, row, startMs + id * 10, false);
        }
        long nextUser = users + 1;
        long span = hours * HOUR;
        // Inserts, updates and deletes in commit order, so that every before image is the row as it then was
        // and LSNs grow with commit time, as in a real database.
        List<long[]> changes = new ArrayList<>();
        for (int i = 0; i < 40 * scale; i++) {
            changes.add(new long[] {startMs + (long) (random.nextDouble() * span), 0});
        }
        for (int i = 0; i < 80 * scale; i++) {
            changes.add(new long[] {startMs + (long) (random.nextDouble() * span), 1});
        }
        for (int i = 0; i < 8 * scale; i++) {
            changes.add(new long[] {startMs + (long) (random.nextDouble() * span), 2});
        }
        changes.sort(Comparator.comparingLong(c -> c[0]));
        for (long[] change : changes) {
            long at = change[0];
            if (change[1] == 0) {
                ObjectNode row = user(nextUser, at);
                live.put(nextUser, row);
                cdc(USERS, "c", null, row, at, false);
                nextUser++;
                continue;
            }
            long id = 1 + random.nextInt(users);
            ObjectNode before = change[1] == 1 ? live.get(id) : live.remove(id);
            if (before == null) {
                continue;
            }
            if (change[1] == 2) {
                cdc(USERS, "d", before, null, at, false);
                continue;
            }
            ObjectNode after = before.deepCopy();
            if (random.nextBoolean()) {
                after.put("tier", pick(TIERS));
            } else {
                after.put("city", pick(CITIES));
            }
            after.put("updated_at", at * 1000);
            live.put(id, after);
            cdc(USERS, "u", before, after, at, false);
        }
        orders(users, span);
        mmpEvents(users, span);
        malformed(span);
        hostile(span);
        out.sort(Comparator.comparingLong(Timed::arrivalMs).thenComparingInt(Timed::seq));
        return new Generated(out.stream().map(Timed::record).toList(), facts.build());
    }

    private void orders(int users, long span) {
        Map<Long, ObjectNode> open = new HashMap<>();
        for (long id = 1; id <= 400L * scale; id++) {
            long at = startMs + (long) (random.nextDouble() * span);
            ObjectNode row = JSON.createObjectNode();
            row.put("id", id);
            row.put("user_id", 1 + random.nextInt(users));
            row.put("amount", Math.round((3 + random.nextDouble() * 60) * 100) / 100.0);
            row.put("currency", random.nextInt(5) == 0 ? "USD" : "KRW");
            row.put("status", "paid");
            row.put("shipping_address", random.nextInt(200) + " Teheran-ro, Gangnam-gu, " + pick(CITIES));
            row.put("created_at", at * 1000);
            if (random.nextInt(25) == 0) {
                row.put(
                        "delivery_note",
                        String.format(
                                "call 010-%04d-%04d at the door", random.nextInt(10_000), random.nextInt(10_000)));
            }
            open.put(id, row);
            cdc(ORDERS, "c", null, row, at, true);
        }
        for (int i = 0; i < 120 * scale; i++) {
            long id = 1 + random.nextInt(400 * scale);
            ObjectNode before = open.get(id);
            long at = before.get("created_at").longValue() / 1000 + (long) (random.nextDouble() * HOUR);
            if (at >= startMs + span) {
                continue;
            }
            ObjectNode after = before.deepCopy();
            after.put("status", before.get("status").textValue().equals("paid") ? "shipped" : "delivered");
            open.put(id, after);
            cdc(ORDERS, "u", before, after, at, true);
        }
    }

    private void mmpEvents(int users, long span) {
        for (int i = 0; i < 1200 * scale; i++) {
            long at = startMs + (long) (random.nextDouble() * span);
            ObjectNode e = JSON.createObjectNode();
            long user = 1 + random.nextInt(users);
            String name = pick(EVENT_NAMES);
            e.put("appsflyer_id", (1_690_000_000_000L + user * 7919) + "-" + (1_000_000 + user * 31));
            e.put("customer_user_id", String.valueOf(user));
            e.put("event_name", name);
            e.put("event_time", EventTimeParser.formatAppsFlyer(at));
            ObjectNode value = JSON.createObjectNode();
            if (name.equals("af_purchase")) {
                double revenue = Math.round((0.99 + random.nextInt(20)) * 100) / 100.0;
                value.put("af_revenue", String.valueOf(revenue))
                        .put("af_currency", "USD")
                        .put("af_content_id", "comic-" + random.nextInt(500));
                e.put("event_revenue_usd", revenue);
            } else if (name.equals("af_complete_registration")) {
                value.put("af_registration_method", "google").put("email", email(user));
            } else {
                value.put("user_id", user).put("screen_name", pick(SCREENS));
            }
            e.put("event_value", value.toString());
            boolean ios = random.nextInt(3) == 0;
            e.put("platform", ios ? "ios" : "android");
            e.put("app_version", "5." + random.nextInt(3) + "." + random.nextInt(4));
            e.put("advertising_id", new UUID(user * 0x9E3779B97F4A7C15L, user).toString());
            if (ios) {
                e.put("idfv", new UUID(user, user * 31).toString().toUpperCase(java.util.Locale.ROOT));
            }
            e.put("ip", "211.234." + random.nextInt(256) + "." + random.nextInt(256));
            e.put("device_model", ios ? "iPhone15,2" : "SM-S918N");
            e.put("country_code", random.nextInt(10) < 8 ? "KR" : "US");
            e.put("media_source", random.nextInt(3) == 0 ? "organic" : "googleadwords_int");
            e.put("campaign", "winter_launch");
            if (random.nextInt(50) == 0) {
                e.put(
                        "af_sub1",
                        "referred by " + email(1 + random.nextInt(users))); // free text a partner passes through
            }
            long arrival = at + 2_000 + random.nextInt(30_000);
            if (random.nextInt(100) < 3) {
                arrival += 2 * HOUR;
                facts.late++;
            }
            byte[] bytes = utf8(e.toString());
            add(EVENTS, null, bytes, arrival);
            facts.mmpEvents++;
            if (random.nextInt(100) < 5) {
                add(EVENTS, null, bytes, arrival + 30_000 + random.nextInt(600_000)); // the partner retried the push
                facts.duplicates++;
            }
        }
    }

    private void malformed(long span) {
        long at = startMs + span / 2;
        add(EVENTS, null, utf8("{\"event_name\":\"af_purchase\",\"email\":\"broken@example.com\",\"event_time\":"), at);
        add(EVENTS, null, utf8("{\"event_name\":\"af_app_opened\",\"customer_user_id\":\"42\"}"), at + 1);
        add(
                USERS,
                utf8("{\"id\":7}"),
                utf8("{\"op\":\"x\",\"after\":{\"id\":7,\"email\":\"kim7@example.com\"},\"source\":{\"ts_ms\":" + at
                        + "}}"),
                at + 2);
        facts.malformed += 3;
    }

    /**
     * Records nobody's generator would write but real feeds carry: clocks years ahead and at epoch 0, personal data
     * typed in full-width digits, behind a zero-width space, nested in JSON, as a JSON number or as a field name, a
     * resident number issued since 2020 (no check digit), a 2-series Mastercard, and a number of absurd scale.
     */
    private void hostile(long span) {
        long at = startMs + span / 3;
        add(
                EVENTS,
                null,
                utf8(hostileEvent("clock-ahead", "9999-12-31 23:59:59.000").toString()),
                at);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("clock-epoch0", "1970-01-01 00:00:00.000").toString()),
                at + 1);
        facts.implausibleTimes += 2;
        String now = EventTimeParser.formatAppsFlyer(at - 5_000);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("full-width", now)
                        .put("af_sub1", "주민번호 ９０１２２５－３０２３４５６")
                        .toString()),
                at + 2);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("rrn-2020", now)
                        .put("af_sub1", "resident no 201225-4123450")
                        .toString()),
                at + 3);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("mc-2-series", now)
                        .put("af_sub1", "paid with 2223 0000 4841 0010")
                        .toString()),
                at + 4);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("zero-width", now)
                        .put("af_sub1", "mail me: hidden\u200b.user@example.com")
                        .toString()),
                at + 5);
        ObjectNode nested = JSON.createObjectNode();
        nested.putObject("profile").putObject("contact").put("backup", "nested.user@example.com");
        nested.putArray("cards").add(4_263_982_640_269_299L);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("nested", now)
                        .put("event_value", nested.toString())
                        .toString()),
                at + 6);
        add(
                EVENTS,
                null,
                utf8(hostileEvent("field-name", now)
                        .put("named.by.sdk@example.com", "1")
                        .toString()),
                at + 7);
        facts.hiddenPii += 6;
        add(
                EVENTS,
                null,
                utf8(hostileEvent("exponent", now)
                        .put("event_revenue_usd", "1e-2000000000")
                        .toString()),
                at + 8);
        facts.malformed++;
    }

    private static ObjectNode hostileEvent(String id, String eventTime) {
        ObjectNode e = JSON.createObjectNode();
        e.put("appsflyer_id", "1690000000000-" + id)
                .put("customer_user_id", "1")
                .put("event_name", "af_purchase")
                .put("event_time", eventTime)
                .put("platform", "android")
                .put("app_version", "5.0.0")
                .put("campaign", HOSTILE_CAMPAIGN_PREFIX + id); // kept, so the summary can show what became of each
        return e;
    }

    private void cdc(String topic, String op, ObjectNode before, ObjectNode after, long commitMs, boolean withSchema) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.set("before", before);
        envelope.set("after", after);
        ObjectNode source = envelope.putObject("source");
        String table = topic.substring(topic.lastIndexOf('.') + 1);
        source.put("version", "3.6.1.Final")
                .put("connector", "postgresql")
                .put("name", "shop")
                .put("ts_ms", commitMs)
                .put("snapshot", op.equals("r") ? "true" : "false")
                .put("db", "shop")
                .put("schema", "public")
                .put("table", table)
                .put("txId", txId++)
                .put("lsn", lsn += 64 + random.nextInt(512));
        envelope.put("op", op);
        envelope.put("ts_ms", commitMs + 150);
        envelope.putNull("transaction");
        long id = (after != null ? after : before).get("id").longValue();
        byte[] key = utf8("{\"id\":" + id + "}");
        byte[] value = utf8((withSchema ? schemaWrapped(envelope, table) : envelope).toString());
        long arrival = commitMs + 500 + random.nextInt(2_000);
        add(topic, key, value, arrival);
        facts.cdc(op);
        if (op.equals("d")) {
            add(topic, key, null, arrival + 1); // the tombstone Debezium writes after a delete
        }
        if (random.nextInt(100) < 3) {
            add(
                    topic,
                    key,
                    value,
                    arrival + 60_000 + random.nextInt(600_000)); // re-delivered after a connector restart
            facts.duplicates++;
        }
    }

    private static ObjectNode schemaWrapped(ObjectNode envelope, String table) {
        ObjectNode wrapped = JSON.createObjectNode();
        ObjectNode schema = wrapped.putObject("schema");
        schema.put("type", "struct")
                .put("optional", false)
                .put("name", "shop.public." + table + ".Envelope")
                .put("version", 2);
        ArrayNode fields = schema.putArray("fields");
        for (String f : new String[] {"before", "after", "source", "op", "ts_ms", "transaction"}) {
            fields.addObject()
                    .put("field", f)
                    .put("type", f.equals("op") ? "string" : f.equals("ts_ms") ? "int64" : "struct")
                    .put("optional", !f.equals("op") && !f.equals("source"));
        }
        wrapped.set("payload", envelope);
        return wrapped;
    }

    private ObjectNode user(long id, long createdMs) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", id);
        row.put("email", email(id));
        row.put("full_name", pick(FAMILY) + " " + pick(GIVEN));
        row.put("phone", String.format("010-%04d-%04d", random.nextInt(10_000), random.nextInt(10_000)));
        row.put("birth_date", 3_650 + random.nextInt(12_000)); // io.debezium.time.Date: days since the epoch
        row.put("city", pick(CITIES));
        row.put("tier", pick(TIERS));
        row.put("marketing_opt_in", random.nextBoolean());
        row.put("created_at", createdMs * 1000); // io.debezium.time.MicroTimestamp
        row.put("updated_at", createdMs * 1000);
        return row;
    }

    private static String email(long id) {
        return "user" + id + "@example.com";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private void add(String topic, byte[] key, byte[] value, long arrivalMs) {
        out.add(new Timed(new InputRecord(topic, null, key, value, arrivalMs), arrivalMs, out.size()));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private record Timed(InputRecord record, long arrivalMs, int seq) {}

    /**
     * The generated input and what was put in it.
     *
     * @param records the records, in arrival order
     * @param facts   counts of what was generated
     */
    public record Generated(List<InputRecord> records, DemoFacts facts) {}
}
