package io.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.config.ConfigLoader;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.pii.MaskingAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration {@code sluice demo} runs with loads, with every section it shows. */
class DemoConfigurationTest {
    @Test
    void loadsTheDemoConfigurationWithAllItsSections() throws IOException {
        SluiceConfig config = ConfigLoader.parse(demoYaml());

        assertThat(config.applicationId()).isEqualTo("sluice-demo");
        assertThat(config.sources()).extracting(SourceConfig::name).containsExactly("shop", "mmp");
        assertThat(config.sources().get(0).tableOf("shop.public.users")).isEqualTo("users");
        assertThat(config.sources().get(1).tableOf("mmp.appsflyer.events")).isEqualTo("events");
        assertThat(config.pii().rules()).anySatisfy(r -> assertThat(r.action()).isEqualTo(MaskingAction.HASH));
        assertThat(config.lake().flush().maxBytes()).isEqualTo(8L << 20);
        assertThat(config.lake().compaction().grace()).isEqualTo(Duration.ofMinutes(10));
    }

    private static String demoYaml() throws IOException {
        try (InputStream in = DemoConfigurationTest.class.getResourceAsStream("/io/sluice/demo/sluice-demo.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
