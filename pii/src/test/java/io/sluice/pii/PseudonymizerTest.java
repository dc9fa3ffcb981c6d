package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {

    private final Pseudonymizer key1 = new Pseudonymizer(PiiKey.fromText("1", "first-secret-key-0123456789-abcdefgh"));

    @Test
    void sameValueGivesSamePseudonymWhateverItsType() {
        assertThat(key1.pseudonym(42L))
                .isEqualTo(key1.pseudonym("42"))
                .isEqualTo(key1.pseudonym(new BigDecimal("42.00")))
                .isEqualTo(key1.pseudonym(42.0d));
    }

    @Test
    void differentKeysGiveDifferentPseudonymsAndSayWhichKey() {
        Pseudonymizer key2 = new Pseudonymizer(PiiKey.fromText("2", "second-secret-key-0123456789-abcdefg"));

        assertThat(key2.pseudonym("a@b.com")).startsWith("k2:").isNotEqualTo(key1.pseudonym("a@b.com"));
    }

    @Test
    void isBase64UrlOfHmacSha256OverTheUtf8Text() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(
                "first-secret-key-0123456789-abcdefgh".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal("서울".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(key1.pseudonym("서울")).isEqualTo("k1:" + expected);
    }

    @Test
    void rejectsShortKeysAndBadIds() {
        assertThatThrownBy(() -> PiiKey.fromText("1", "short")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> PiiKey.fromText("k-1", "long-enough-secret-0123456789-abcdef"))
                .hasMessageContaining("key id");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(PiiKey.fromText("1", "first-secret-key-0123456789-abcdefgh").toString())
                .doesNotContain("first-secret");
    }

    @Test
    void readsBase64Keys() {
        PiiKey key = PiiKey.fromText("3", "base64:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assertThat(new Pseudonymizer(key).pseudonym("x")).startsWith("k3:");
    }

    @Test
    void rotationWritesWithTheNewKeyAndKeepsTheOldOneKnown() {
        PiiKey old = PiiKey.fromText("1", "first-secret-key-0123456789-abcdefgh");
        PiiKey current = PiiKey.fromText("2", "second-secret-key-0123456789-abcdefg");
        Pseudonymizer rotated = new Pseudonymizer(java.util.List.of(current, old), false);

        assertThat(rotated.pseudonym("a@b.com")).startsWith("k2:");
        assertThat(rotated.pseudonymWith("1", "a@b.com")).isEqualTo(key1.pseudonym("a@b.com"));
        assertThat(rotated.knownKeyIds()).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void writesHexWhenAsked() {
        Pseudonymizer hex = new Pseudonymizer(
                java.util.List.of(PiiKey.fromText("1", "first-secret-key-0123456789-abcdefgh")), true);

        assertThat(hex.pseudonym("x")).matches("k1:[0-9a-f]{64}");
    }
}
