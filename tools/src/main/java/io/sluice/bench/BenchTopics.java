package io.sluice.bench;

import io.sluice.config.TopicSettings;
import io.sluice.runtime.TopicProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Topic chores of the bench on its broker: creating input and pass-through topics, deleting a
 * step's topics so the next step starts on fresh ones, and asking whether a group's lag is zero.
 */
final class BenchTopics {
    /** The broker keeps the input for the whole run: generated event times are hours old. */
    static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;

    BenchTopics(Admin admin) {
        this.admin = admin;
    }

    /** Creates topics with {@code partitions} partitions (or the broker's default) that keep their records. */
    void create(List<String> topics, Optional<Integer> partitions) {
        new TopicProvisioner(admin, TIMEOUT)
                .ensure(topics, new TopicSettings(partitions, Optional.empty()), KEEP_FOREVER);
    }

    /** Deletes the named topics and every topic whose name starts with {@code prefix}, and waits until they are gone. */
    void deleteAll(Collection<String> names, String prefix) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> doomed = new ArrayList<>();
            for (String topic : existing) {
                if (names.contains(topic) || (prefix != null && topic.startsWith(prefix))) {
                    doomed.add(topic);
                }
            }
            if (doomed.isEmpty()) {
                return;
            }
            admin.deleteTopics(doomed).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (admin.listTopics().names().get().stream().anyMatch(doomed::contains)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + doomed + " were not deleted within " + TIMEOUT);
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot delete topics: " + e.getMessage(), e);
        }
    }

    /** Whether {@code group} has committed the end of every partition of {@code topics}. */
    boolean caughtUp(String group, List<String> topics) throws InterruptedException {
        try {
            Map<TopicPartition, Long> ends = new TopicProvisioner(admin, TIMEOUT).endOffsets(topics);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                if ((at == null ? 0 : at.offset()) < end.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Waits until {@code group}'s lag on {@code topics} is zero in two checks in a row.
     *
     * @param healthy throws if what is being waited for has failed
     */
    void awaitCaughtUp(String group, List<String> topics, Duration timeout, Runnable healthy)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        while (quiet < 2) {
            healthy.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group " + group + " did not catch up within " + timeout);
            }
            quiet = caughtUp(group, topics) ? quiet + 1 : 0;
            Thread.sleep(100);
        }
    }
}
