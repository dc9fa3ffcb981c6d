package io.sluice.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushDecoderTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPostIsForwardedAsReceivedKeyedByItsAppsflyerId() {
        byte[] body = utf8(
                "{\"event_name\":\"af_purchase\",\"nested\":{\"appsflyer_id\":\"no\"},\"appsflyer_id\":\"1700-abc\"}");
        PushRecord push = PushDecoder.post("app", body, 9);
        assertThat(push.value()).isSameAs(body);
        assertThat(push.key()).isEqualTo(utf8("1700-abc"));
    }

    @Test
    void bodiesThatAreNotObjectsWithAnIdAreForwardedUnkeyed() {
        for (String body :
                List.of("", "not json", "[1,2]", "{\"appsflyer_id\":42}", "{\"a\":", "{\"appsflyer_id\":null}")) {
            PushRecord push = PushDecoder.post("app", utf8(body), 1);
            assertThat(push.key()).as(body).isNull();
            assertThat(push.value()).isEqualTo(utf8(body));
        }
    }

    @Test
    void aGetBecomesAJsonObjectOfStringsWithoutTheToken() {
        PushRecord push = PushDecoder.get(
                "app",
                Map.of(
                        "appsflyer_id",
                        List.of("1700-abc"),
                        "event_name",
                        List.of("af_login", "ignored"),
                        "token",
                        List.of("secret-token-value")),
                1);
        String json = new String(push.value(), StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"appsflyer_id\":\"1700-abc\"", "\"event_name\":\"af_login\"")
                .doesNotContain("secret");
        assertThat(push.key()).isEqualTo(utf8("1700-abc"));
    }
}
