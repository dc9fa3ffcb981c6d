package io.sluice.bench;

import io.sluice.config.ConfigException;
import io.sluice.config.DimensionConfig;
import io.sluice.config.SluiceConfig;
import io.sluice.config.SourceConfig;
import io.sluice.config.SourceType;
import io.sluice.replay.InputRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Input shaped like the configured sources, in arrival order: every Debezium topic gets a table's
 * change stream ({@link CdcFeed}), every MMP topic AppsFlyer-style events ({@link MmpFeed}, twice a
 * CDC topic's share), with event times spread evenly over the span, ~5% duplicates and ~1% late
 * MMP events. Streams its records — only those waiting for their arrival time are held — so a
 * million records cost no more memory than a thousand.
 */
final class BenchDataGenerator implements Iterator<InputRecord> {
    private static final int MMP_WEIGHT = 2;
    private static final int CDC_WEIGHT = 1;

    private final long records;
    private final long startMs;
    private final long spanMs;
    private final long expectedEvents;
    private final List<TopicFeed> feeds = new ArrayList<>();
    private final int[] weights;
    private final int totalWeight;
    private final Random random;
    private final PriorityQueue<Pending> waiting =
            new PriorityQueue<>(Comparator.comparingLong(Pending::arrivalMs).thenComparingLong(Pending::seq));
    private final Map<String, Long> perTopic = new LinkedHashMap<>();
    private long events;
    private long emitted;
    private long seq;

    /**
     * @param config      the configuration whose sources the input is shaped like
     * @param records     how many records to generate
     * @param startMs     the first event time
     * @param span        event times are spread over this
     * @param seed        random seed: the same seed gives the same input
     * @param faults      whether to inject duplicates and late events
     * @param stamp       the topic and field that carry the latency stamp, or null
     */
    BenchDataGenerator(
            SluiceConfig config,
            long records,
            long startMs,
            Duration span,
            long seed,
            FeedFaults faults,
            LatencyCarrier stamp) {
        this.records = records;
        this.startMs = startMs;
        this.spanMs = span.toMillis();
        this.random = new Random(seed);
        // Duplicates and tombstones add records of their own: fewer source events make up the count.
        this.expectedEvents = Math.max(1, Math.round(records / (faults.enabled() ? 1.06 : 1.01)));
        List<Integer> weightList = new ArrayList<>();
        int total = 0;
        for (SourceConfig source : config.sources()) {
            for (String topic : source.topics()) {
                total += source.type() == SourceType.MMP ? MMP_WEIGHT : CDC_WEIGHT;
            }
        }
        for (SourceConfig source : config.sources()) {
            if (source.avro()) {
                throw new ConfigException(
                        "sources." + source.name() + ".format",
                        "sluice bench generates JSON-converter records; " + "Avro sources are not supported yet");
            }
            for (String topic : source.topics()) {
                int weight = source.type() == SourceType.MMP ? MMP_WEIGHT : CDC_WEIGHT;
                long share = expectedEvents * weight / total;
                String table = source.tableOf(topic);
                String stampField = stamp != null && stamp.topic().equals(topic) ? stamp.field() : null;
                var columns = ConfiguredColumns.of(config, source.name(), table);
                if (source.type() == SourceType.MMP) {
                    feeds.add(new MmpFeed(
                            source,
                            topic,
                            columns,
                            ConfiguredColumns.eventValueKeys(config, source.name(), table),
                            share,
                            stampField,
                            faults,
                            random));
                } else {
                    DimensionConfig dimension = config.dimensionFor(source.name(), table);
                    List<String> key = dimension != null ? dimension.spec().keyColumns() : List.of("id");
                    feeds.add(new CdcFeed(topic, columns, key, share, stampField, faults, random, startMs));
                }
                weightList.add(weight);
                perTopic.put(topic, 0L);
            }
        }
        this.weights = weightList.stream().mapToInt(Integer::intValue).toArray();
        this.totalWeight = total;
    }

    @Override
    public boolean hasNext() {
        return emitted < records;
    }

    @Override
    public InputRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        while (waiting.isEmpty()
                || (emitted + waiting.size() < records && waiting.peek().arrivalMs() > currentEventTime())) {
            generateEvent();
        }
        Pending next = waiting.poll();
        emitted++;
        perTopic.merge(next.arrival().topic(), 1L, Long::sum);
        TopicFeed.Arrival a = next.arrival();
        return new InputRecord(a.topic(), null, a.key(), a.value(), a.arrivalMs());
    }

    /** Records generated so far per topic. */
    Map<String, Long> perTopic() {
        return Map.copyOf(perTopic);
    }

    private long currentEventTime() {
        return startMs + Math.min(spanMs, events * spanMs / expectedEvents);
    }

    /** One source event on a topic picked by weight; its records wait until their arrival time is reached. */
    private void generateEvent() {
        long eventTime = currentEventTime();
        events++;
        int pick = random.nextInt(totalWeight);
        int feed = 0;
        while (pick >= weights[feed]) {
            pick -= weights[feed++];
        }
        for (TopicFeed.Arrival arrival : feeds.get(feed).next(eventTime)) {
            waiting.add(new Pending(arrival, arrival.arrivalMs(), seq++));
        }
    }

    private record Pending(TopicFeed.Arrival arrival, long arrivalMs, long seq) {}
}
