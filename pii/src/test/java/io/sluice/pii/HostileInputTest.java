package io.sluice.pii;

import static io.sluice.pii.KeptValueDetectionTest.allDetectors;
import static io.sluice.pii.KeptValueDetectionTest.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Values built to break the masking step: absurd exponents, absurd nesting. None may hang, throw or leak. */
class HostileInputTest {
    private static final Duration QUICKLY = Duration.ofSeconds(10);
    private static final Pseudonymizer PSEUDONYMIZER =
            new Pseudonymizer(PiiKey.fromText("1", "test-key-0123456789abcdef-0123456789"));
    private static final BigDecimal TINY = new BigDecimal("1E-2000000000");
    private static final BigDecimal HUGE = new BigDecimal("4111111111111111E+2000000000");

    private final KeptValueDetectionTest.Observed observed = new KeptValueDetectionTest.Observed();

    @Test
    void keepsNumbersWithTwoBillionDigitExponentsWithoutExpandingThem() {
        Map<String, Object> masked = assertTimeoutPreemptively(
                QUICKLY,
                () -> keepAll().mask("s", "t", row("tiny", TINY, "huge", HUGE, "negative", HUGE.negate()), observed));

        assertThat(masked)
                .containsEntry("tiny", TINY)
                .containsEntry("huge", HUGE)
                .containsEntry("negative", HUGE.negate());
    }

    @Test
    void keepsSuchNumbersInsideJsonTextAndStillFindsTheCardBesideThem() {
        Object masked = assertTimeoutPreemptively(
                QUICKLY,
                () -> keepAll()
                        .mask("s", "t", row("payload", "{\"x\":1e-2000000000,\"card\":4111111111111111}"), observed)
                        .get("payload"));

        assertThat(masked).isEqualTo("{\"x\":1E-2000000000,\"card\":\"[card]\"}");
    }

    @Test
    void hashesSuchNumbersWithoutExpandingThem() {
        String pseudonym = assertTimeoutPreemptively(QUICKLY, () -> PSEUDONYMIZER.pseudonym(TINY));

        assertThat(pseudonym).startsWith("k1:");
        assertThat(PSEUDONYMIZER.pseudonym(HUGE)).isNotEqualTo(pseudonym);
        assertThat(PSEUDONYMIZER.pseudonym(new BigDecimal("1E+3")))
                .as("sane numbers still join across types")
                .isEqualTo(PSEUDONYMIZER.pseudonym(1000L));
    }

    @Test
    void bucketsSuchNumbersOrFailsWithoutExpandingThem() throws MaskingFailure {
        Generalization bucket = Generalization.bucket(10);

        assertThat(assertTimeoutPreemptively(QUICKLY, () -> bucket.apply(TINY))).isEqualTo(0L);
        assertThat(bucket.apply(TINY.negate())).isEqualTo(-10L);
        assertThat(bucket.apply("1e-2000000000")).isEqualTo(0L);
        assertThatThrownBy(() -> bucket.apply(HUGE))
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> bucket.apply(Long.MIN_VALUE))
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("number-out-of-range"));
        assertThatThrownBy(() -> bucket.apply(Double.NaN))
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("not-a-number"));
    }

    @Test
    void failsToReadSuchNumbersAsDatesRatherThanThrow() {
        Generalization year = Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.AUTO);
        Generalization days = Generalization.date(Generalization.Target.YEAR, Generalization.DateUnit.DAYS);

        assertThatThrownBy(() -> year.apply(HUGE))
                .isInstanceOf(MaskingFailure.class)
                .hasMessageNotContaining("4111");
        assertThatThrownBy(() -> days.apply(Long.MAX_VALUE))
                .as("days overflowing seconds")
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("not-a-date"));
        assertThatThrownBy(() -> days.apply(1_000_000_000_000L))
                .as("beyond the last instant")
                .isInstanceOf(MaskingFailure.class)
                .satisfies(e -> assertThat(((MaskingFailure) e).reason()).isEqualTo("not-a-date"));
    }

    @Test
    void dropsAFieldWhoseNumberARuleCannotHandle() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "amount", MaskingAction.GENERALIZE, Generalization.bucket(100))),
                UnlistedColumns.KEEP,
                PSEUDONYMIZER);

        Map<String, Object> masked = policy.mask("s", "t", row("amount", HUGE, "id", 1L), observed);

        assertThat(masked).containsOnlyKeys("id");
        assertThat(observed.failures).containsExactly("amount:number-out-of-range");
    }

    @Test
    void scansJsonTextNestedFiveThousandDeepAsPlainText() {
        String deep = "[".repeat(5000) + "\"kim@example.com\"" + "]".repeat(5000);

        Object masked = onSmallStack(
                () -> keepAll().mask("s", "t", row("payload", deep), observed).get("payload"));

        assertThat(masked).isEqualTo("[".repeat(5000) + "\"[email]\"" + "]".repeat(5000));
    }

    @Test
    void scansJsonTextAtTheNestingLimitAsJson() {
        int limit = JsonScanner.MAX_DEPTH;
        String atLimit = "[".repeat(limit) + "4111111111111111" + "]".repeat(limit);
        String beyond = "[" + atLimit + "]";

        assertThat(onSmallStack(() -> keepAll()
                        .mask("s", "t", row("payload", atLimit), observed)
                        .get("payload")))
                .as("a JSON number becomes a string marker")
                .isEqualTo("[".repeat(limit) + "\"[card]\"" + "]".repeat(limit));
        assertThat(onSmallStack(() -> keepAll()
                        .mask("s", "t", row("payload", beyond), observed)
                        .get("payload")))
                .as("plain text: the digits are replaced in place")
                .isEqualTo("[".repeat(limit + 1) + "[card]" + "]".repeat(limit + 1));
    }

    @Test
    void dropsADecodedValueNestedFiveThousandDeep() {
        Object deep = "kim@example.com";
        for (int i = 0; i < 5000; i++) {
            List<Object> level = new ArrayList<>(1);
            level.add(deep);
            deep = level;
        }
        Map<String, Object> row = row("payload", deep, "id", 1L);

        Map<String, Object> masked = onSmallStack(() -> keepAll().mask("s", "t", row, observed));

        assertThat(masked).containsOnlyKeys("id");
        assertThat(observed.failures).containsExactly("payload:json-too-deep");
    }

    @Test
    void dropsJsonTextNestedFiveThousandDeepWhenRulesReachInside() {
        MaskingPolicy policy = MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "event_value.*", MaskingAction.KEEP)),
                UnlistedColumns.KEEP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);

        Map<String, Object> masked =
                onSmallStack(() -> policy.mask("s", "t", row("event_value", deep, "id", 1L), observed));

        assertThat(masked).containsOnlyKeys("id");
        assertThat(observed.failures).containsExactly("event_value:not-a-json-object");
    }

    private static MaskingPolicy keepAll() {
        return MaskingPolicy.of(
                List.of(MaskingRule.of(null, null, "*", MaskingAction.KEEP)),
                UnlistedColumns.DROP,
                PSEUDONYMIZER,
                allDetectors(DetectorAction.MASK));
    }

    /** Runs on a thread with a 512 KiB stack, half the JVM's default for the threads Kafka Streams starts. */
    private static <T> T onSmallStack(java.util.concurrent.Callable<T> work) {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        result.set(work.call());
                    } catch (Throwable e) {
                        result.set(e);
                    }
                },
                "small-stack",
                512 * 1024);
        thread.start();
        try {
            thread.join(QUICKLY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(result.get()).as("finished without throwing").isNotNull().isNotInstanceOf(Throwable.class);
        @SuppressWarnings("unchecked")
        T value = (T) result.get();
        return value;
    }
}
