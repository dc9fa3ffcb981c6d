package io.sluice.pii;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code generalize}: coarsens a value so that it still answers the analyst's question but no
 * longer singles out a person — a date to its year or year-month, a birth date to an age band,
 * an IP address to its network, a number to a bucket.
 */
public final class Generalization implements ColumnTransform {
    private static final Pattern ISO_DATE_PREFIX = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final long MAX_DAYS = 2_932_896L; // 9999-12-31
    private static final long MAX_MILLIS = 10_000_000_000_000L;
    private static final long MAX_MICROS = 10_000_000_000_000_000L;

    /** What a value is generalized to. */
    public enum Target {
        /** A date or timestamp to its year (a whole number). */
        YEAR,
        /** A date or timestamp to {@code YYYY-MM}. */
        YEAR_MONTH,
        /** A birth date to an age band such as {@code 30-39}. */
        AGE_BAND,
        /** An IPv4/IPv6 address to its network, such as {@code 211.234.10.0/24}. */
        NETWORK,
        /** A number to the lower bound of its bucket (a whole number). */
        BUCKET;

        /** Parses {@code year}, {@code year-month}, {@code age-band}, {@code network}, {@code bucket}. */
        public static Target fromConfig(String text) {
            for (Target t : values()) {
                if (t.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(
                    "unknown target '" + text + "', expected year, year-month, age-band, network or bucket");
        }
    }

    /** How a number holding a date is to be read. */
    public enum DateUnit {
        /** Guess from the magnitude: days (Debezium's Date), else epoch millis, micros or nanos. */
        AUTO,
        DAYS,
        MILLIS,
        MICROS,
        NANOS
    }

    private final Target target;
    private final long width;
    private final int ipv4Bits;
    private final int ipv6Bits;
    private final DateUnit unit;
    private final Clock clock;

    private Generalization(Target target, long width, int ipv4Bits, int ipv6Bits, DateUnit unit, Clock clock) {
        this.target = target;
        this.width = width;
        this.ipv4Bits = ipv4Bits;
        this.ipv6Bits = ipv6Bits;
        this.unit = unit;
        this.clock = clock;
    }

    /** A date or timestamp to its year or year-month. */
    public static Generalization date(Target target, DateUnit unit) {
        if (target != Target.YEAR && target != Target.YEAR_MONTH) {
            throw new IllegalArgumentException("date generalization is to year or year-month");
        }
        return new Generalization(target, 0, 0, 0, unit, null);
    }

    /** A birth date to an age band of {@code width} years, as of the clock's today. */
    public static Generalization ageBand(int width, DateUnit unit, Clock clock) {
        if (width < 1) {
            throw new IllegalArgumentException("band width must be at least 1 year");
        }
        return new Generalization(Target.AGE_BAND, width, 0, 0, unit, clock);
    }

    /** An IP address to its network: the first {@code ipv4Bits} / {@code ipv6Bits} bits kept. */
    public static Generalization network(int ipv4Bits, int ipv6Bits) {
        if (ipv4Bits < 0 || ipv4Bits > 32 || ipv6Bits < 0 || ipv6Bits > 128) {
            throw new IllegalArgumentException("prefix lengths must be 0-32 (IPv4) and 0-128 (IPv6)");
        }
        return new Generalization(Target.NETWORK, 0, ipv4Bits, ipv6Bits, DateUnit.AUTO, null);
    }

    /** A number to the lower bound of its bucket of {@code width}. */
    public static Generalization bucket(long width) {
        if (width < 1) {
            throw new IllegalArgumentException("bucket width must be a whole number of at least 1");
        }
        return new Generalization(Target.BUCKET, width, 0, 0, DateUnit.AUTO, null);
    }

    @Override
    public Object apply(Object value) throws MaskingFailure {
        return switch (target) {
            case YEAR -> (long) date(value).getYear();
            case YEAR_MONTH ->
                String.format("%04d-%02d", date(value).getYear(), date(value).getMonthValue());
            case AGE_BAND -> ageBand(date(value));
            case NETWORK -> network(String.valueOf(value).strip());
            case BUCKET -> bucketOf(number(value));
        };
    }

    @Override
    public OutputType outputType() {
        return target == Target.YEAR || target == Target.BUCKET ? OutputType.LONG : OutputType.STRING;
    }

    private String ageBand(LocalDate birth) throws MaskingFailure {
        int age = Period.between(birth, LocalDate.now(clock)).getYears();
        if (age < 0) {
            throw new MaskingFailure("not-a-birth-date", "date is in the future");
        }
        long low = age / width * width;
        return low + "-" + (low + width - 1);
    }

    private LocalDate date(Object value) throws MaskingFailure {
        if (value instanceof Number n) {
            long v = WholeNumber.floor(n);
            DateUnit u = unit;
            if (u == DateUnit.AUTO) {
                long abs = Math.abs(v);
                u = abs <= MAX_DAYS
                        ? DateUnit.DAYS
                        : abs < MAX_MILLIS ? DateUnit.MILLIS : abs < MAX_MICROS ? DateUnit.MICROS : DateUnit.NANOS;
            }
            try {
                Instant at = switch (u) {
                    case DAYS -> Instant.EPOCH.plusSeconds(Math.multiplyExact(v, 86_400L));
                    case MILLIS -> Instant.ofEpochMilli(v);
                    case MICROS -> Instant.ofEpochMilli(Math.floorDiv(v, 1000L));
                    default -> Instant.ofEpochMilli(Math.floorDiv(v, 1_000_000L));
                };
                return LocalDate.ofInstant(at, ZoneOffset.UTC);
            } catch (ArithmeticException | DateTimeException e) {
                throw new MaskingFailure("not-a-date", "number is outside the range of dates");
            }
        }
        String text = String.valueOf(value).strip();
        if (ISO_DATE_PREFIX.matcher(text).matches()) {
            try {
                return LocalDate.parse(text.substring(0, 10));
            } catch (DateTimeParseException e) {
                throw new MaskingFailure("not-a-date", "text does not start with a valid yyyy-MM-dd date");
            }
        }
        throw new MaskingFailure("not-a-date", "value is neither a number nor a yyyy-MM-dd date");
    }

    private String network(String text) throws MaskingFailure {
        var v4 = IPV4.matcher(text);
        if (v4.matches()) {
            long address = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(v4.group(i));
                if (octet > 255) {
                    throw new MaskingFailure("not-an-ip", "octet out of range");
                }
                address = address << 8 | octet;
            }
            long mask = ipv4Bits == 0 ? 0 : (0xFFFFFFFFL << (32 - ipv4Bits)) & 0xFFFFFFFFL;
            long net = address & mask;
            return (net >>> 24) + "." + (net >>> 16 & 255) + "." + (net >>> 8 & 255) + "." + (net & 255) + "/"
                    + ipv4Bits;
        }
        // Only literals reach InetAddress: with a ':' it parses, and never resolves a name.
        if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
            try {
                byte[] bytes = InetAddress.getByName(text).getAddress();
                if (bytes.length == 16) {
                    for (int bit = ipv6Bits; bit < 128; bit++) {
                        bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
                    }
                    return ipv6Text(bytes) + "/" + ipv6Bits;
                }
            } catch (UnknownHostException e) {
                // fall through: not an address
            }
        }
        throw new MaskingFailure("not-an-ip", "value is not an IPv4 or IPv6 address");
    }

    /** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
    private static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private long bucketOf(long value) throws MaskingFailure {
        try {
            return Math.multiplyExact(Math.floorDiv(value, width), width);
        } catch (ArithmeticException e) {
            throw new MaskingFailure("number-out-of-range", "bucket is outside the range of a 64-bit whole number");
        }
    }

    private static long number(Object value) throws MaskingFailure {
        if (value instanceof Number n) {
            return WholeNumber.floor(n);
        }
        String text = String.valueOf(value).strip();
        // Parsing a decimal is quadratic in its length; no real bucketed number is this long.
        if (text.length() > WholeNumber.MAX_PRECISION) {
            throw new MaskingFailure("not-a-number", "value is too long to be a number");
        }
        try {
            return WholeNumber.floor(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new MaskingFailure("not-a-number", "value is not a number");
        }
    }
}
