package io.sluice.sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects curated records until a flush is due: enough records, enough bytes, or the oldest
 * record has waited long enough. Several event hours can be open at once, so late or interleaved
 * data never forces a tiny object.
 */
public final class Tier0Buffer {
    private final Tier0Writer writer;
    private final FlushPolicy policy;
    private final List<LakeRecord> records = new ArrayList<>();
    private long bytes;
    private long oldestAtMs = -1;

    /** A buffer in front of a writer. */
    public Tier0Buffer(Tier0Writer writer, FlushPolicy policy) {
        this.writer = writer;
        this.policy = policy;
    }

    /** Adds a record; {@code nowMs} is when it arrived. */
    public void add(LakeRecord record, long nowMs) {
        if (records.isEmpty()) {
            oldestAtMs = nowMs;
        }
        records.add(record);
        bytes += record.bytes();
    }

    /** Whether the buffer should be flushed now. */
    public boolean isFlushDue(long nowMs) {
        return !records.isEmpty()
                && (records.size() >= policy.maxRecords()
                        || bytes >= policy.maxBytes()
                        || nowMs - oldestAtMs >= policy.maxInterval().toMillis());
    }

    /** Writes everything buffered; the objects are durable when this returns. */
    public List<Tier0Writer.Tier0Object> flush() {
        if (records.isEmpty()) {
            return List.of();
        }
        List<Tier0Writer.Tier0Object> written = writer.write(records);
        records.clear();
        bytes = 0;
        oldestAtMs = -1;
        return written;
    }

    /** Whether nothing is buffered. */
    public boolean isEmpty() {
        return records.isEmpty();
    }

    /**
     * When the lake sink writes a tier-0 object.
     *
     * @param maxRecords  flush after this many records ({@code flush.records})
     * @param maxBytes    flush after this many value bytes ({@code flush.bytes})
     * @param maxInterval flush when the oldest buffered record is this old ({@code flush.interval})
     */
    public record FlushPolicy(int maxRecords, long maxBytes, Duration maxInterval) {
        /** Defaults: 10,000 records, 8 MiB or 60 s, whichever comes first. */
        public static final FlushPolicy DEFAULT = new FlushPolicy(10_000, 8L << 20, Duration.ofSeconds(60));

        public FlushPolicy {
            if (maxRecords < 1 || maxBytes < 1 || maxInterval.isNegative()) {
                throw new IllegalArgumentException("flush limits must be positive");
            }
        }
    }
}
