package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.config.ConfigException;
import org.junit.jupiter.api.Test;

class BearerTokenTest {
    private static final String VALUE = "0123456789abcdef0123456789abcdef";
    private final BearerToken token = BearerToken.of("http.dimensions.token", VALUE);

    @Test
    void admitsOnlyTheExactTokenWhateverTheSchemeCase() {
        assertThat(token.admits("Bearer " + VALUE)).isTrue();
        assertThat(token.admits("bearer " + VALUE)).isTrue();
        assertThat(token.admits(null)).isFalse();
        assertThat(token.admits("Bearer")).isFalse();
        assertThat(token.admits("Bearer ")).isFalse();
        assertThat(token.admits("Basic " + VALUE)).isFalse();
        assertThat(token.admits(VALUE)).isFalse();
    }

    @Test
    void comparesDigestsSoAPrefixOrAnExtensionOfTheTokenIsJustAnotherWrongToken() {
        // Both sides are SHA-256 digests compared with MessageDigest.isEqual: equal lengths, every byte looked at.
        assertThat(token.admits("Bearer " + VALUE.substring(0, VALUE.length() - 1)))
                .isFalse();
        assertThat(token.admits("Bearer " + VALUE + "0")).isFalse();
        assertThat(token.admits("Bearer " + "x".repeat(10_000))).isFalse();
    }

    @Test
    void aShortTokenIsAConfigErrorThatNeverShowsIt() {
        assertThatThrownBy(() -> BearerToken.of("http.dimensions.token", "hunter2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.dimensions.token: must be at least 24")
                .message()
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> BearerToken.of("http.dimensions.token", "with spaces inside it, hunter2 hunter2"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void isNeverPrinted() {
        assertThat(token.toString()).doesNotContain(VALUE);
    }
}
