package io.sluice.benchmarks;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Curated AppsFlyer events as they reach the lake, after masking: 25 columns of text (ids,
 * pseudonyms, enum-like values, an {@code event_value} JSON string), whole numbers and decimals,
 * with the nulls real events have (revenue only on purchases, {@code idfv} only on iOS, missing
 * city and ad set). Deterministic for a seed, so every run compacts the same bytes.
 */
final class CuratedMmpEvents {
    private static final DateTimeFormatter APPSFLYER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String[] EVENTS = {
        "af_content_view",
        "af_content_view",
        "af_content_view",
        "af_app_opened",
        "af_app_opened",
        "af_login",
        "af_complete_registration",
        "af_purchase"
    };
    private static final String[] CITIES = {"Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Suwon", null};
    private static final String[] MODELS = {"SM-S918N", "SM-A546N", "SM-G991N", "iPhone15,2", "iPhone14,5", "iPhone16,1"
    };
    private static final String[] SOURCES = {
        "organic", "googleadwords_int", "Facebook Ads", "tiktokglobal_int", "apple_search_ads"
    };
    private static final String[] ADSETS = {"lookalike_3pct", "retarget_7d", "broad_kr", null, null};
    private static final HexFormat HEX = HexFormat.of();

    private final SplittableRandom random;
    private final long hourStartMs;
    private final int users;

    CuratedMmpEvents(long seed, long hourStartMs, int users) {
        this.random = new SplittableRandom(seed);
        this.hourStartMs = hourStartMs;
        this.users = users;
    }

    /** The {@code n}-th event of the hour out of {@code total}: event times rise through the hour, a few seconds out of order. */
    Map<String, Object> event(long n, long total) {
        long at = Math.min(
                hourStartMs + 3_599_999,
                Math.max(hourStartMs, hourStartMs + n * 3_600_000L / total + random.nextLong(-5_000, 5_000)));
        int user = 1 + random.nextInt(users);
        boolean ios = user % 3 == 0;
        String name = EVENTS[random.nextInt(EVENTS.length)];
        boolean purchase = name.equals("af_purchase");
        double revenue = Math.round((0.99 + random.nextDouble() * 49) * 100) / 100.0;

        Map<String, Object> e = new LinkedHashMap<>();
        e.put("appsflyer_id", (1_690_000_000_000L + user * 7919L) + "-" + (1_000_000 + user * 31));
        e.put("customer_user_id", pseudonym(user, 0x5EED));
        e.put("event_name", name);
        e.put("event_time", APPSFLYER.format(Instant.ofEpochMilli(at)));
        e.put(
                "event_value",
                purchase
                        ? "{\"af_revenue\":\"" + revenue + "\",\"af_currency\":\"USD\",\"af_content_id\":\"comic-"
                                + random.nextInt(500) + "\"}"
                        : "{\"af_content_id\":\"comic-" + random.nextInt(500)
                                + "\",\"screen_name\":\"episode_viewer\"}");
        e.put("event_revenue", purchase ? revenue : null);
        e.put("event_revenue_currency", purchase ? "USD" : null);
        e.put("event_revenue_usd", purchase ? revenue : null);
        e.put("platform", ios ? "ios" : "android");
        e.put("app_version", "5." + random.nextInt(3) + "." + random.nextInt(4));
        e.put("app_id", ios ? "id1500000001" : "com.example.comics");
        e.put("advertising_id", pseudonym(user, 0xAD));
        e.put("idfv", ios ? pseudonym(user, 0x1DF) : null);
        e.put("ip", "211.234." + random.nextInt(256) + ".0/24");
        e.put("device_model", MODELS[(ios ? 3 : 0) + user % 3]);
        e.put("os_version", ios ? "17." + user % 5 : String.valueOf(12 + user % 3));
        e.put("country_code", user % 10 < 8 ? "KR" : "US");
        e.put("city", CITIES[user % CITIES.length]);
        e.put("language", user % 10 < 8 ? "ko-KR" : "en-US");
        e.put("media_source", SOURCES[user % SOURCES.length]);
        e.put("campaign", "winter_launch_" + user % 4);
        e.put("af_adset", ADSETS[user % ADSETS.length]);
        e.put("install_time", APPSFLYER.format(Instant.ofEpochMilli(hourStartMs - (user % 90) * 86_400_000L)));
        e.put("session_number", 1L + random.nextInt(400));
        e.put("time_in_app_sec", random.nextInt(5) == 0 ? null : (long) random.nextInt(3_600));
        e.put("__event_time", at);
        return e;
    }

    /** A masked identifier: 32 bytes of an HMAC, in hex, stable per user (stood in for by the user number). */
    private static String pseudonym(int user, long salt) {
        long a = (user * 0x9E3779B97F4A7C15L) ^ salt;
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            a = a * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (a >>> 56);
        }
        return "k1:" + HEX.formatHex(bytes);
    }
}
