package io.sluice.pii;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * A generated, labelled corpus for measuring the detectors: personal data in the forms it really
 * arrives in (post-2020 RRNs without check digit, full-width typing, zero-width characters, nested
 * JSON, numbers, field names), and values that look numeric or structured but are not personal
 * (timestamps, UUIDs, AppsFlyer ids, versions, prices, order and tracking numbers).
 */
final class PiiCorpus {
    /** Forms no detector can tell from an ordinary number; measured and shown, not counted in recall. */
    static final String OUT_OF_REACH = "bare 13 digits, no check digit, hyphen, context or name";

    /**
     * One labelled value.
     *
     * @param detector the detector that should fire, or null for a value with no personal data
     * @param form     how the value is written, for the per-form figures
     * @param field    the column it arrives in
     * @param value    the column value (text, number, JSON text, or decoded map)
     * @param secret   the personal data in canonical form (digits only, or the ASCII e-mail / address), never to be found in the output
     */
    record Sample(Detector detector, String form, String field, Object value, String secret) {}

    private static final String[] DOMAINS = {
        "naver.com", "gmail.com", "daum.net", "kakao.com", "example.co.kr", "hanmail.net"
    };
    private static final String[] NAMES = {
        "kim", "lee", "park", "choi", "jung", "kang", "minjun", "seoyeon", "jiwoo", "haeun"
    };
    private static final String[] RRN_CONTEXT = {
        "주민번호 ",
        "주민등록번호: ",
        "주민등록번호는 ",
        "본인 주민번호 ",
        "외국인등록번호 ",
        "resident no. ",
        "Resident Registration No: ",
        "RRN ",
        "rrn=",
        "jumin: "
    };
    private static final String[] RRN_FIELDS = {
        "jumin_no", "rrn", "resident_registration_number", "residentNo", "customer_ssn"
    };
    private static final String[] PHONE_KEYS = {"phone", "mobile", "tel", "phone_no", "hp"};

    private final Random random;

    PiiCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** {@code perDetector} values for each detector, then {@code nonPii} values without personal data. */
    List<Sample> generate(int perDetector, int nonPii) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < perDetector; i++) {
            samples.add(rrnSample());
            samples.add(cardSample());
            samples.add(emailSample());
            samples.add(phoneSample());
            samples.add(ipSample());
        }
        for (int i = 0; i < perDetector / 10; i++) {
            String rrn = rrn(true);
            while (ResidentNumbers.checkDigitValid(rrn)) {
                rrn = rrn(true);
            }
            samples.add(new Sample(Detector.KR_RRN, OUT_OF_REACH, "memo", "ref " + rrn, rrn));
        }
        for (int i = 0; i < nonPii; i++) {
            samples.add(nonPiiSample());
        }
        return samples;
    }

    // ---- Korean resident registration numbers

    private Sample rrnSample() {
        String rrn = rrn(random.nextInt(10) > 0); // nine in ten issued since October 2020: no check digit
        String hyphenated = rrn.substring(0, 6) + "-" + rrn.substring(6);
        return switch (random.nextInt(11)) {
            case 0 -> sample(Detector.KR_RRN, "hyphenated", "memo", hyphenated, rrn);
            case 1 ->
                sample(
                        Detector.KR_RRN,
                        "after a context word",
                        "memo",
                        pick(RRN_CONTEXT) + maybeHyphen(rrn) + " 입니다",
                        rrn);
            case 2 ->
                sample(
                        Detector.KR_RRN,
                        "full-width digits and hyphen",
                        "memo",
                        pick(RRN_CONTEXT) + fullWidth(maybeHyphen(rrn)),
                        rrn);
            case 3 -> sample(Detector.KR_RRN, "zero-width characters inside", "memo", withZeroWidth(hyphenated), rrn);
            case 4 -> sample(Detector.KR_RRN, "bare, column named for it", pick(RRN_FIELDS), rrn, rrn);
            case 5 ->
                sample(
                        Detector.KR_RRN,
                        "nested JSON, key named for it",
                        "payload",
                        "{\"customer\":{\"profile\":{\"" + pick(RRN_FIELDS) + "\":\"" + rrn + "\"}}}",
                        rrn);
            case 6 ->
                sample(
                        Detector.KR_RRN,
                        "nested JSON array, hyphenated",
                        "event_value",
                        "{\"af_items\":[{\"memo\":\"" + hyphenated + "\"}],\"af_level\":3}",
                        rrn);
            case 7 ->
                sample(
                        Detector.KR_RRN,
                        "integer column named for it",
                        pick(RRN_FIELDS),
                        Long.parseLong(rrn),
                        Long.toString(Long.parseLong(rrn)));
            case 8 ->
                sample(
                        Detector.KR_RRN,
                        "JSON number, key named for it",
                        "payload",
                        "{\"kyc\":{\"rrn\":" + Long.parseLong(rrn) + "}}",
                        Long.toString(Long.parseLong(rrn)));
            case 9 -> {
                String valid = rrn(false);
                yield sample(
                        Detector.KR_RRN,
                        "bare with a valid check digit (pre-2020)",
                        "memo",
                        "ref " + valid + " ok",
                        valid);
            }
            default ->
                sample(
                        Detector.KR_RRN,
                        "no-break spaces around, context word",
                        "memo",
                        "주민번호\u00A0" + hyphenated + "\u3000확인",
                        rrn);
        };
    }

    /** An RRN of someone born 1940-2025, resident or foreigner; with random last digits, or a valid check digit. */
    String rrn(boolean randomTail) {
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(86 * 365));
        int s = (birth.getYear() < 2000 ? 1 : 3) + random.nextInt(2) + (random.nextInt(8) == 0 ? 4 : 0);
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT, "%02d%02d%02d%d", birth.getYear() % 100, birth.getMonthValue(), birth.getDayOfMonth(), s));
        while (sb.length() < 12) {
            sb.append(random.nextInt(10));
        }
        int[] weights = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (sb.charAt(i) - '0') * weights[i];
        }
        int check = (11 - sum % 11) % 10;
        sb.append(randomTail ? random.nextInt(10) : check);
        return sb.toString();
    }

    private String maybeHyphen(String rrn) {
        return random.nextBoolean() ? rrn.substring(0, 6) + "-" + rrn.substring(6) : rrn;
    }

    // ---- payment cards

    private record Network(String name, int low, int high, int[] lengths) {}

    private static final List<Network> NETWORKS = List.of(
            new Network("visa", 4, 4, new int[] {16, 16, 16, 13, 19}),
            new Network("mastercard", 51, 55, new int[] {16}),
            new Network("mastercard 2-series", 2221, 2720, new int[] {16}),
            new Network("amex", 34, 34, new int[] {15}),
            new Network("amex", 37, 37, new int[] {15}),
            new Network("discover", 6011, 6011, new int[] {16, 19}),
            new Network("discover", 644, 649, new int[] {16}),
            new Network("discover", 65, 65, new int[] {16}),
            new Network("discover/unionpay", 622126, 622925, new int[] {16}),
            new Network("jcb", 3528, 3589, new int[] {16}),
            new Network("diners", 300, 305, new int[] {14}),
            new Network("diners", 36, 36, new int[] {14}),
            new Network("diners", 38, 39, new int[] {16}),
            new Network("unionpay", 62, 62, new int[] {16, 19}),
            new Network("maestro", 50, 50, new int[] {12, 16, 19}),
            new Network("maestro", 56, 58, new int[] {12, 16, 19}),
            new Network("maestro", 67, 67, new int[] {12, 16, 19}));

    private Sample cardSample() {
        Network network = NETWORKS.get(random.nextInt(NETWORKS.size()));
        String card = card(network, true);
        return switch (random.nextInt(10)) {
            case 0 -> sample(Detector.CARD, "bare digits", "memo", card, card);
            case 1 ->
                sample(
                        Detector.CARD,
                        "grouped in fours, in text",
                        "memo",
                        "결제 카드 " + grouped(card, random.nextBoolean() ? " " : "-") + " 승인",
                        card);
            case 2 -> sample(Detector.CARD, "full-width digits", "memo", "카드번호 " + fullWidth(grouped(card, "-")), card);
            case 3 -> sample(Detector.CARD, "zero-width characters inside", "memo", withZeroWidth(card), card);
            case 4 -> sample(Detector.CARD, "integer column", "card_token", Long.parseLong(card), card);
            case 5 -> sample(Detector.CARD, "decimal column", "amount_ref", new BigDecimal(card), card);
            case 6 ->
                sample(
                        Detector.CARD,
                        "JSON number, nested",
                        "payload",
                        "{\"order\":{\"pay\":{\"pan\":" + card + "}}}",
                        card);
            case 7 ->
                sample(
                        Detector.CARD,
                        "nested JSON array",
                        "event_value",
                        "{\"af_receipt\":[\"ok\",{\"c\":\"" + card + "\"}]}",
                        card);
            case 8 -> {
                Map<String, Object> decoded = new LinkedHashMap<>();
                decoded.put("payments", List.of(Map.of("card", card)));
                yield sample(Detector.CARD, "decoded map, nested list", "payload", decoded, card);
            }
            default -> {
                String unionPay = card(NETWORKS.get(13), false);
                yield sample(
                        Detector.CARD,
                        "UnionPay without Luhn, printed in fours",
                        "memo",
                        "카드 " + grouped(unionPay, " "),
                        unionPay);
            }
        };
    }

    private String card(Network network, boolean luhn) {
        int length = network.lengths()[random.nextInt(network.lengths().length)];
        StringBuilder sb =
                new StringBuilder(Integer.toString(network.low() + random.nextInt(network.high() - network.low() + 1)));
        while (sb.length() < length - 1) {
            sb.append(random.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            String candidate = sb.toString() + check;
            if (CardRanges.luhnValid(candidate) == luhn) {
                return candidate;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static String grouped(String digits, String separator) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 4) {
            sb.append(i == 0 ? "" : separator).append(digits, i, Math.min(digits.length(), i + 4));
        }
        return sb.toString();
    }

    // ---- e-mail

    private Sample emailSample() {
        String email = pick(NAMES) + (random.nextBoolean() ? "." + pick(NAMES) : "") + random.nextInt(1000) + "@"
                + pick(DOMAINS);
        return switch (random.nextInt(8)) {
            case 0 -> sample(Detector.EMAIL, "bare", "contact", email, email);
            case 1 -> sample(Detector.EMAIL, "in text", "memo", "문의는 " + email + " 로 부탁드립니다", email);
            case 2 ->
                sample(
                        Detector.EMAIL,
                        "full-width @ and dot",
                        "memo",
                        "메일 " + email.replace("@", "＠").replace(".", "．"),
                        email);
            case 3 -> sample(Detector.EMAIL, "zero-width characters inside", "memo", withZeroWidth(email), email);
            case 4 ->
                sample(
                        Detector.EMAIL,
                        "nested JSON array",
                        "payload",
                        "{\"to\":[{\"addr\":[\"" + email + "\"]}]}",
                        email);
            case 5 ->
                sample(
                        Detector.EMAIL,
                        "JSON field name",
                        "payload",
                        "{\"scores\":{\"" + email + "\":" + random.nextInt(100) + "}}",
                        email);
            case 6 -> sample(Detector.EMAIL, "column name", email, Boolean.TRUE, email);
            default ->
                sample(
                        Detector.EMAIL,
                        "nested under kept event_value.*",
                        "event_value",
                        "{\"af_user\":{\"mail\":\"" + email + "\"},\"af_level\":2}",
                        email);
        };
    }

    // ---- phones

    private Sample phoneSample() {
        String subscriber = String.format(Locale.ROOT, "%04d%04d", random.nextInt(10_000), random.nextInt(10_000));
        String mobile = "010" + subscriber;
        return switch (random.nextInt(9)) {
            case 0 ->
                sample(
                        Detector.PHONE,
                        "010-xxxx-xxxx in text",
                        "memo",
                        "연락처 010-" + subscriber.substring(0, 4) + "-" + subscriber.substring(4),
                        mobile);
            case 1 -> sample(Detector.PHONE, "bare mobile", "contact", mobile, mobile);
            case 2 ->
                sample(
                        Detector.PHONE,
                        "+82 international",
                        "memo",
                        "call +82 10-" + subscriber.substring(0, 4) + "-" + subscriber.substring(4),
                        "8210" + subscriber);
            case 3 -> {
                String landline = "02"
                        + String.format(Locale.ROOT, "%03d%04d", 200 + random.nextInt(800), random.nextInt(10_000));
                yield sample(
                        Detector.PHONE,
                        "Seoul landline",
                        "memo",
                        "매장 02-" + landline.substring(2, 5) + "-" + landline.substring(5),
                        landline);
            }
            case 4 ->
                sample(
                        Detector.PHONE,
                        "full-width digits",
                        "memo",
                        "전화 " + fullWidth("010-" + subscriber.substring(0, 4) + "-" + subscriber.substring(4)),
                        mobile);
            case 5 ->
                sample(
                        Detector.PHONE,
                        "no-break spaces",
                        "memo",
                        "tel 010\u00A0" + subscriber.substring(0, 4) + "\u00A0" + subscriber.substring(4),
                        mobile);
            case 6 ->
                sample(
                        Detector.PHONE,
                        "integer 8210…",
                        "msisdn",
                        Long.parseLong("8210" + subscriber),
                        "8210" + subscriber);
            case 7 ->
                sample(
                        Detector.PHONE,
                        "JSON number under a phone key",
                        "payload",
                        "{\"user\":{\"" + pick(PHONE_KEYS) + "\":" + Long.parseLong("10" + subscriber) + "}}",
                        "10" + subscriber);
            default ->
                sample(
                        Detector.PHONE,
                        "nested JSON array",
                        "event_value",
                        "{\"af_contacts\":[[\"" + mobile + "\"]]}",
                        mobile);
        };
    }

    // ---- IP addresses

    private Sample ipSample() {
        String v4 = (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + random.nextInt(256);
        String v6 = String.format(
                Locale.ROOT,
                "2001:db8:%x:%x::%x",
                random.nextInt(65536),
                random.nextInt(65536),
                1 + random.nextInt(65535));
        return switch (random.nextInt(4)) {
            case 0 -> sample(Detector.IP, "IPv4 in text", "memo", "login from " + v4, v4);
            case 1 -> sample(Detector.IP, "IPv6 in text", "memo", "login from " + v6 + " ok", v6);
            case 2 -> sample(Detector.IP, "full-width IPv4", "memo", "접속 " + fullWidth(v4), v4);
            default -> sample(Detector.IP, "nested JSON", "payload", "{\"net\":{\"client\":[\"" + v4 + "\"]}}", v4);
        };
    }

    // ---- values without personal data

    private Sample nonPiiSample() {
        long millis = 1_577_836_800_000L + (long) (random.nextDouble() * 220_000_000_000L); // 2020-2026
        Instant at = Instant.ofEpochMilli(millis);
        String uuid = uuid();
        String appsflyerId = millis + "-"
                + (random.nextBoolean()
                        ? String.format(Locale.ROOT, "%07d", random.nextInt(10_000_000))
                        : Long.toString(Math.abs(random.nextLong())));
        return switch (random.nextInt(20)) {
            case 0 -> nonPii("ISO timestamp", "event_time", at.toString());
            case 1 ->
                nonPii(
                        "AppsFlyer timestamp",
                        "install_time",
                        at.atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' '));
            case 2 -> nonPii("epoch millis", "ts", millis);
            case 3 -> nonPii("epoch seconds", "created", millis / 1000);
            case 4 -> nonPii("epoch micros", "updated_at", millis * 1000 + random.nextInt(1000));
            case 5 ->
                nonPii(
                        "UUID / advertising id",
                        "advertising_id",
                        random.nextBoolean() ? uuid : uuid.toUpperCase(Locale.ROOT));
            case 6 -> nonPii("AppsFlyer id", "appsflyer_id", appsflyerId);
            case 7 -> nonPii("app version", "app_version", random.nextInt(3) == 0 ? "v" + version() : version());
            case 8 ->
                nonPii(
                        "price",
                        "event_revenue",
                        random.nextBoolean()
                                ? new BigDecimal(random.nextInt(100_000) + "." + random.nextInt(100))
                                : (Object) String.format(Locale.ROOT, "%,d원", 100 * random.nextInt(1000)));
            case 9 ->
                nonPii(
                        "order number",
                        "order_id",
                        "ORD-" + at.toString().substring(0, 10).replace("-", "") + "-"
                                + String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000)));
            case 10 -> nonPii("8-10 digit id", "user_id", 10_000_000L + (long) (random.nextDouble() * 9_990_000_000L));
            case 11 ->
                nonPii("snowflake id", "message_id", (millis - 1_288_834_974_657L) << 22 | random.nextInt(1 << 22));
            case 12 ->
                nonPii(
                        "MMP event_value",
                        "event_value",
                        "{\"af_revenue\":\"" + random.nextInt(100) + ".99\",\"af_content_id\":\"comic-"
                                + random.nextInt(1000) + "\",\"af_order_id\":\"" + appsflyerId + "\",\"ts\":" + millis
                                + "}");
            case 13 ->
                nonPii(
                        "free text with dates and amounts",
                        "memo",
                        String.format(
                                Locale.ROOT,
                                "%s 주문 %d개, 총 %,d원 결제 (%s)",
                                at.toString().substring(0, 10),
                                1 + random.nextInt(9),
                                100 * random.nextInt(100_000),
                                at.toString().substring(11, 19)));
            case 14 ->
                nonPii(
                        "business registration no.",
                        "biz_no",
                        String.format(
                                Locale.ROOT,
                                "%03d-%02d-%05d",
                                random.nextInt(1000),
                                random.nextInt(100),
                                random.nextInt(100_000)));
            case 15 ->
                nonPii(
                        "coordinates",
                        "geo",
                        String.format(
                                Locale.ROOT, "%.6f,%.6f", 33 + random.nextDouble() * 5, 124 + random.nextDouble() * 6));
            case 16 ->
                nonPii(
                        "device model and OS",
                        "device",
                        pick(new String[] {"SM-S918N", "SM-G991N", "iPhone15,2", "Pixel 8"}) + " / Android "
                                + (10 + random.nextInt(5)));
            case 17 ->
                nonPii(
                        "parcel tracking number",
                        "tracking_no",
                        String.format(
                                Locale.ROOT,
                                "%04d%04d%04d",
                                random.nextInt(10_000),
                                random.nextInt(10_000),
                                random.nextInt(10_000)));
            case 18 ->
                nonPii(
                        "decoded event with numbers",
                        "payload",
                        Map.of(
                                "level",
                                random.nextInt(100),
                                "score",
                                (long) random.nextInt(1_000_000),
                                "items",
                                List.of(millis, uuid)));
            default -> nonPii("hourly count", "events_count", (long) random.nextInt(100_000_000));
        };
    }

    /** A version-4 UUID from the seeded generator (UUID.randomUUID() would make the corpus differ per run). */
    private String uuid() {
        long msb = random.nextLong() & ~0xF000L | 0x4000L;
        long lsb = random.nextLong() & ~0xC000_0000_0000_0000L | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    private String version() {
        return random.nextInt(20) + "." + random.nextInt(30) + "." + random.nextInt(100)
                + (random.nextInt(4) == 0 ? "." + random.nextInt(10_000) : "");
    }

    // ---- writing

    private Sample sample(Detector detector, String form, String field, Object value, String secret) {
        return new Sample(detector, form, field, value, secret);
    }

    private static Sample nonPii(String form, String field, Object value) {
        return new Sample(null, form, field, value, null);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Full-width digits, hyphen, dot, @ — what a Korean input method in full-width mode types. */
    static String fullWidth(String text) {
        return map(text, c -> c >= '!' && c <= '~' ? (char) (c + 0xFEE0) : c);
    }

    /** One to three invisible characters at random places inside. */
    private String withZeroWidth(String text) {
        String[] invisible = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF"};
        StringBuilder sb = new StringBuilder(text);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            sb.insert(1 + random.nextInt(sb.length() - 1), pick(invisible));
        }
        return sb.toString();
    }

    private static String map(String text, Function<Character, Character> f) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            sb.append(f.apply(c));
        }
        return sb.toString();
    }
}
