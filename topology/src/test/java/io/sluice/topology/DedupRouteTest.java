package io.sluice.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class DedupRouteTest {
    private static final String TOPIC = "sluice-dedup-mmp-repartition";

    @Test
    void anInputKeyedByTheRouteFieldWithKafkasPartitionerIsAlwaysLocal() {
        DedupRoute route = new DedupRoute("appsflyer_id", TOPIC, 12);
        for (int user = 0; user < 10_000; user++) {
            String id = "1690000" + user * 7919 + "-" + (1_000_000 + user * 31);
            // where a producer (sluice receive, or any client with the default partitioner) put the record
            int readFrom = BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), 12);
            byte[] routeKey = route.key(Map.of("appsflyer_id", id, "event_name", "af_purchase"));

            assertThat(route.local(routeKey, readFrom)).isTrue();
            assertThat(route.partitioner().partitions(TOPIC, routeKey, new byte[0], 12))
                    .contains(Set.of(readFrom));
        }
    }

    @Test
    void aRecordReadElsewhereTravelsToItsIdentitysPartition() {
        DedupRoute route = new DedupRoute("appsflyer_id", TOPIC, 12);
        byte[] routeKey = route.key(Map.of("appsflyer_id", "af-1"));
        int home = BuiltInPartitioner.partitionForKey(routeKey, 12);

        assertThat(route.local(routeKey, (home + 1) % 12)).isFalse();
        assertThat(route.local(routeKey, home + 12))
                .as("a task beyond the topic's partitions")
                .isFalse();
    }

    @Test
    void aMissingRouteValueRoutesLikeTheTextNull() {
        DedupRoute route = new DedupRoute("appsflyer_id", TOPIC, 12);

        assertThat(route.key(Map.of("event_name", "x"))).isEqualTo("null".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAPartitionCountEveryRecordTravels() {
        DedupRoute route = new DedupRoute("appsflyer_id", TOPIC, 0);
        byte[] routeKey = route.key(Map.of("appsflyer_id", "af-1"));

        for (int partition = 0; partition < 12; partition++) {
            assertThat(route.local(routeKey, partition)).isFalse();
        }
        assertThat(route.partitioner().partitions(TOPIC, routeKey, new byte[0], 5))
                .contains(Set.of(BuiltInPartitioner.partitionForKey(routeKey, 5)));
    }

    @Test
    void aTopicResizedUnderARunningTopologyStopsItRatherThanSplitCopies() {
        DedupRoute route = new DedupRoute("appsflyer_id", TOPIC, 12);

        assertThatThrownBy(() -> route.partitioner().partitions(TOPIC, new byte[] {1}, new byte[0], 24))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("24 partitions")
                .hasMessageContaining("built for 12");
    }
}
