package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry unreachable for 30 s mid-stream, then back. {@code sluice run} reaches the
 * registry through a forwarder that drops every connection and refuses new ones for the outage;
 * the second half of the input brings a new column, so the curated schema needs a new version
 * (and the lake sink a schema it has not seen) while the registry is away.
 */
class RegistryOutageChaosTest extends ChaosEndToEnd {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageChaosTest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private UnreachableService forwarder;

    @Override
    String registryUrlForSluice() throws IOException {
        URI direct = URI.create(registry.url());
        forwarder = UnreachableService.inFrontOf(direct.getPort());
        return registry.url().replace(":" + direct.getPort() + "/", ":" + forwarder.port() + "/");
    }

    @AfterAll
    void stopForwarder() throws IOException {
        if (forwarder != null) {
            forwarder.close();
        }
    }

    @Test
    void aRegistryOutageMidStreamLosesAndDuplicatesNothing() throws Exception {
        int split = input.newColumnFrom();
        feed(input.records(0, split));
        Process sluice = startSluice("registry-outage");
        await("the first half curated, its schema registered", Duration.ofSeconds(120), () -> curatedRows() >= split);

        long cutAt = System.nanoTime();
        forwarder.cut();
        int curatedAtCut = curatedRows();
        feed(input.records(
                split, input.events())); // a new column: the curated schema's next version needs the registry
        Thread.sleep(OUTAGE.toMillis()); // the fault's length, not a wait for a result
        int curatedDuringOutage = curatedRows();
        assertThat(sluice.isAlive()).as("sluice run survives the outage").isTrue();
        forwarder.restore();
        LOG.info(
                "registry unreachable for {} ms; curated rows {} at the cut, {} at its end",
                (System.nanoTime() - cutAt) / 1_000_000,
                curatedAtCut,
                curatedDuringOutage);
        assertThat(curatedDuringOutage)
                .as("rows with the new column wait for the registry")
                .isLessThan(input.events());

        long back = System.nanoTime();
        ChaosOutcome outcome = finish(sluice, Duration.ofMinutes(3));
        LOG.info("caught up {} ms after the registry came back", (System.nanoTime() - back) / 1_000_000);
        assertSameAsUninterrupted(outcome);
        assertThat(logs().resolve("registry-outage.log"))
                .content()
                .as("the outage was felt: a stream thread replaced")
                .contains("unavailable")
                .contains("replacing the stream thread");
    }
}
