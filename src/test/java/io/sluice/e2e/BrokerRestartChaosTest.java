package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka broker stopped mid-stream and started again on the same ports and log directories,
 * as a broker pod restarts, while input keeps arriving: the application, its lake sink and the
 * producer feeding it all wait for it and carry on.
 */
class BrokerRestartChaosTest extends ChaosEndToEnd {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartChaosTest.class);
    private static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
        Process sluice = startSluice("broker-restart");
        try (SteadyFeed feed = SteadyFeed.start(producer(), input.records(), 200)) {
            await("a third of the events curated", Duration.ofSeconds(120), () -> curatedRows() >= input.events() / 3);
            long stopping = System.nanoTime();
            kafka.close();
            long stopped = System.nanoTime();
            Thread.sleep(DOWN.toMillis()); // the fault's length, not a wait for a result
            kafka = kafka.restart();
            LOG.info(
                    "broker stopped in {} ms, down {} ms in all, back on {}",
                    (stopped - stopping) / 1_000_000,
                    (System.nanoTime() - stopping) / 1_000_000,
                    kafka.bootstrapServers());
            assertThat(sluice.isAlive())
                    .as("sluice run survives the broker's restart")
                    .isTrue();
            feed.awaitDelivered(300);
        }
        long back = System.nanoTime();
        ChaosOutcome outcome = finish(sluice, Duration.ofMinutes(4));
        LOG.info("caught up {} ms after the feed ended", (System.nanoTime() - back) / 1_000_000);
        assertSameAsUninterrupted(outcome);
    }
}
