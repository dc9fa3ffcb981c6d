package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.config.SourceConfig;
import io.sluice.serdes.EventTimeParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * AppsFlyer-style push events (about 20 fields, {@code event_value} as a JSON string) for a
 * population of users — about 20 events per user — with retried pushes and late arrivals.
 */
final class MmpFeed implements TopicFeed {
    static final int EVENTS_PER_USER = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
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
    private static final Set<String> GENERATED = Set.of(
            "appsflyer_id",
            "customer_user_id",
            "event_name",
            "event_value",
            "platform",
            "app_version",
            "advertising_id",
            "idfv",
            "ip",
            "device_model",
            "country_code",
            "media_source",
            "campaign",
            "event_revenue_usd",
            "extra");

    private final String topic;
    private final String eventTimeField;
    private final List<String> extraColumns;
    private final Set<String> eventValueKeys;
    private final String stampField;
    private final FeedFaults faults;
    private final Random random;
    private final SyntheticValues values;
    private final long users;

    /**
     * @param configured columns the configuration names for the source's table
     * @param events     how many events the feed will be asked for
     * @param stampField a field to carry the latency stamp, or null
     */
    MmpFeed(
            SourceConfig source,
            String topic,
            Set<String> configured,
            Set<String> eventValueKeys,
            long events,
            String stampField,
            FeedFaults faults,
            Random random) {
        this.topic = topic;
        this.eventTimeField = source.eventTimeField();
        // Flattened event_value_<key> columns and Sluice's own columns are made by the decoder, not sent.
        this.extraColumns = configured.stream()
                .filter(c -> !GENERATED.contains(c)
                        && !c.equals(eventTimeField)
                        && !c.startsWith("event_value_")
                        && !c.startsWith("__")
                        && !c.equals(stampField))
                .toList();
        Set<String> keys = new LinkedHashSet<>(source.eventValueKeys());
        keys.addAll(eventValueKeys);
        this.eventValueKeys = keys;
        this.stampField = stampField;
        this.faults = faults;
        this.random = random;
        this.values = new SyntheticValues(random);
        this.users = Math.max(20, events / EVENTS_PER_USER);
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public List<Arrival> next(long eventTimeMs) {
        long user = 1 + (long) (random.nextDouble() * users);
        String name = values.pick(EVENT_NAMES);
        ObjectNode e = JSON.createObjectNode();
        String appsflyerId = (1_690_000_000_000L + user * 7919) + "-" + (1_000_000 + user * 31);
        e.put("appsflyer_id", appsflyerId);
        e.put("customer_user_id", String.valueOf(user));
        e.put("event_name", name);
        e.put(eventTimeField, EventTimeParser.formatAppsFlyer(eventTimeMs));
        e.put("event_value", eventValue(name, user, eventTimeMs).toString());
        boolean ios = random.nextInt(3) == 0;
        e.put("platform", ios ? "ios" : "android");
        e.put("app_version", "5." + random.nextInt(3) + "." + random.nextInt(4));
        e.put("advertising_id", new UUID(user * 0x9E3779B97F4A7C15L, user).toString());
        if (ios) {
            e.put("idfv", new UUID(user, user * 31).toString().toUpperCase(Locale.ROOT));
        }
        e.put("ip", "211.234." + random.nextInt(256) + "." + random.nextInt(256));
        e.put("device_model", ios ? "iPhone15,2" : "SM-S918N");
        e.put("country_code", random.nextInt(10) < 8 ? "KR" : "US");
        e.put("media_source", random.nextInt(3) == 0 ? "organic" : "googleadwords_int");
        e.put("campaign", "winter_launch");
        if (name.equals("af_purchase")) {
            e.put("event_revenue_usd", Math.round((0.99 + random.nextInt(20)) * 100) / 100.0);
        }
        for (String column : extraColumns) {
            values.put(e, column, user, eventTimeMs);
        }
        if (stampField != null) {
            e.put(stampField, LatencyStamp.PLACEHOLDER);
        }
        byte[] bytes = e.toString().getBytes(StandardCharsets.UTF_8);
        long arrival = eventTimeMs + 2_000 + random.nextInt(30_000);
        if (faults.late(random)) {
            arrival += FeedFaults.LATE_BY.toMillis();
        }
        // Keyed as sluice receive keys what it is pushed: by appsflyer_id.
        byte[] key = appsflyerId.getBytes(StandardCharsets.UTF_8);
        List<Arrival> out = new ArrayList<>(2);
        out.add(new Arrival(topic, key, bytes, arrival));
        if (faults.duplicate(random)) {
            out.add(new Arrival(
                    topic, key, bytes, arrival + FeedFaults.duplicateDelayMs(random))); // the partner retried the push
        }
        return out;
    }

    private ObjectNode eventValue(String name, long user, long eventTimeMs) {
        ObjectNode value = JSON.createObjectNode();
        if (name.equals("af_purchase")) {
            value.put("af_revenue", String.valueOf(Math.round((0.99 + random.nextInt(20)) * 100) / 100.0))
                    .put("af_currency", "USD")
                    .put("af_content_id", "comic-" + random.nextInt(500));
        } else if (name.equals("af_complete_registration")) {
            value.put("af_registration_method", "google").put("email", "user" + user + "@example.com");
        } else {
            value.put("screen_name", values.pick(SCREENS));
        }
        for (String key : eventValueKeys) {
            if (!value.has(key)) {
                values.put(value, key, user, eventTimeMs);
            }
        }
        return value;
    }
}
