package io.sluice.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Random;

/**
 * Plausible values for a column known only by its name: e-mails for {@code *email*}, phone numbers,
 * names, timestamps for {@code *_at} and {@code *time*}, amounts, flags, small sets of cities,
 * tiers and statuses, and otherwise text from a small vocabulary, so that group-bys have realistic
 * cardinality and the detectors see the kind of text real rows carry.
 */
final class SyntheticValues {
    private static final String[] CITIES = {"Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Ulsan", "Suwon"
    };
    private static final String[] TIERS = {"bronze", "silver", "gold"};
    private static final String[] STATUSES = {"paid", "shipped", "delivered", "cancelled"};
    private static final String[] FAMILY = {"Kim", "Lee", "Park", "Choi", "Jung", "Kang"};
    private static final String[] GIVEN = {"Minjun", "Seoyeon", "Jiho", "Hayun", "Doyun", "Jiwoo"};

    private final Random random;

    SyntheticValues(Random random) {
        this.random = random;
    }

    /**
     * Puts a value for {@code column} into {@code row}.
     *
     * @param entity the row's entity (user, order), so that its e-mail and name stay the same across changes
     * @param atMs   the row's event time, for timestamp columns
     */
    void put(ObjectNode row, String column, long entity, long atMs) {
        String name = column.toLowerCase(Locale.ROOT);
        if (name.contains("email")) {
            row.put(column, "user" + entity + "@example.com");
        } else if (name.contains("phone")) {
            row.put(
                    column,
                    String.format(Locale.ROOT, "010-%04d-%04d", random.nextInt(10_000), random.nextInt(10_000)));
        } else if (name.contains("birth")) {
            row.put(column, 3_650 + random.nextInt(12_000)); // io.debezium.time.Date: days since the epoch
        } else if (name.endsWith("name")) {
            row.put(column, pick(FAMILY) + " " + pick(GIVEN));
        } else if (name.endsWith("_at") || name.contains("time") || name.endsWith("date")) {
            row.put(column, atMs * 1000); // io.debezium.time.MicroTimestamp
        } else if (name.equals("ip") || name.endsWith("_ip")) {
            row.put(column, "211.234." + random.nextInt(256) + "." + random.nextInt(256));
        } else if (name.contains("city")) {
            row.put(column, pick(CITIES));
        } else if (name.contains("tier") || name.contains("level") || name.contains("grade")) {
            row.put(column, pick(TIERS));
        } else if (name.contains("status") || name.contains("state")) {
            row.put(column, pick(STATUSES));
        } else if (name.contains("amount")
                || name.contains("revenue")
                || name.contains("price")
                || name.contains("cost")) {
            row.put(column, Math.round((1 + random.nextDouble() * 99) * 100) / 100.0);
        } else if (name.startsWith("is_")
                || name.startsWith("has_")
                || name.endsWith("_opt_in")
                || name.endsWith("flag")) {
            row.put(column, random.nextBoolean());
        } else if (name.endsWith("id")) {
            row.put(column, 1 + random.nextInt(1_000));
        } else if (name.contains("count")
                || name.contains("visits")
                || name.contains("qty")
                || name.contains("quantity")) {
            row.put(column, random.nextInt(100));
        } else {
            row.put(column, "v" + random.nextInt(50));
        }
    }

    String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
