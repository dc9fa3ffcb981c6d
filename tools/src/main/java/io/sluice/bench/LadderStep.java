package io.sluice.bench;

import java.util.Locale;

/**
 * The steps of the benchmark ladder. Each adds one cost to the one before, on the same data and
 * topic layout, so that the difference between two steps is what that cost is; the last two
 * compare the hourly compactor with a bare Parquet writer on the same rows.
 */
enum LadderStep {
    BARE_CLIENTS("bare consumer → producer, bytes", Kind.CLIENTS),
    STREAMS_PASS_THROUGH("Kafka Streams, stateless pass-through", Kind.STREAMS),
    DECODE_ENCODE("+ decode JSON, encode Avro (keep-everything policy)", Kind.STREAMS),
    MASKING("+ the configured masking policy", Kind.STREAMS),
    DEDUP("+ deduplication", Kind.STREAMS),
    AGGREGATES_AND_DIMENSIONS("+ windowed aggregates and SCD2 dimensions", Kind.STREAMS),
    EXACTLY_ONCE("(f) with exactly_once_v2", Kind.STREAMS),
    BARE_PARQUET("lake: bare parquet-java AvroParquetWriter", Kind.LAKE),
    COMPACTOR("lake: the hourly compactor", Kind.LAKE);

    /** The start of every application id (and so internal topic) of a bench run. */
    static final String APPLICATION_ID_PREFIX = "sluice-bench-";

    /** What runs a step. */
    enum Kind {
        CLIENTS,
        STREAMS,
        LAKE
    }

    private final String adds;
    private final Kind kind;

    LadderStep(String adds, Kind kind) {
        this.adds = adds;
        this.kind = kind;
    }

    /** The step's letter, as the issue and the report name it: (a) to (i). */
    char letter() {
        return (char) ('a' + ordinal());
    }

    /** What the step adds to the previous one. */
    String adds() {
        return adds;
    }

    Kind kind() {
        return kind;
    }

    /** Whether the step runs the pipeline's stages from {@code stage} on. */
    boolean includes(LadderStep stage) {
        return kind == Kind.STREAMS && ordinal() >= stage.ordinal();
    }

    /** Whether the step writes transactionally; every other step runs at least once. */
    boolean exactlyOnce() {
        return this == EXACTLY_ONCE;
    }

    /** The application id (and so consumer group and internal topic prefix) of the step: fresh per step. */
    String applicationId() {
        return APPLICATION_ID_PREFIX + letter();
    }

    /** The step's label in the report, e.g. {@code (f)}. */
    String label() {
        return "(" + letter() + ")";
    }

    static LadderStep ofLetter(char letter) {
        int index = Character.toLowerCase(letter) - 'a';
        if (index < 0 || index >= values().length) {
            throw new IllegalArgumentException("no ladder step " + letter);
        }
        return values()[index];
    }

    @Override
    public String toString() {
        return label() + " " + name().toLowerCase(Locale.ROOT);
    }
}
