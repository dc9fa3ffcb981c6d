package io.sluice.receiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, fsync'd, append-only queue of pushes on local disk, read back in the order written. An append completes only
 * once its bytes are forced to the device, many appends sharing one force (group commit), so a push acknowledged from the
 * spool survives {@code kill -9} and a power cut. Entries live in segment files {@code <n>.spool}; the position of the
 * first entry not yet delivered is kept in {@code cursor}, itself replaced atomically. A torn last entry (a crash mid-write,
 * never acknowledged) is cut off when the spool is opened again.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".spool";
    private static final int HEADER = 8; // length, CRC32C
    private static final int MAX_ENTRY = 64 << 20;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final Thread writer;
    private FileChannel active;
    private long activeId;
    private long readSegment;
    private long readOffset;
    private volatile long oldestReceivedAt = Long.MAX_VALUE;
    private volatile boolean open = true;

    /** Why an append was refused: the spool holds its maximum. */
    public static final class SpoolFullException extends Exception {
        private static final long serialVersionUID = 1L;

        SpoolFullException(long maxBytes) {
            super("the spool holds its maximum of " + maxBytes + " bytes");
        }
    }

    private record Pending(byte[] frame, CompletableFuture<Void> done) {}

    /** One spooled entry, where the entry after it starts, and its size on disk. */
    public record Entry(PushRecord record, long segment, long nextOffset, int bytes) {}

    private Spool(Path dir, long maxBytes, long segmentBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.writer = new Thread(this::writeLoop, "sluice-spool-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the spool in {@code dir}, creating it if needed, recovering what an earlier process left.
     *
     * @param maxBytes the most bytes of undelivered entries it holds; appends beyond are refused
     */
    public static Spool open(Path dir, long maxBytes) throws IOException {
        return open(dir, maxBytes, Math.max(1 << 20, Math.min(64L << 20, maxBytes / 8)));
    }

    static Spool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        Spool spool = new Spool(dir, maxBytes, segmentBytes);
        spool.recover();
        spool.writer.start();
        return spool;
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).forEach(f -> segments.put(idOf(f), f));
        }
        Path cursor = dir.resolve("cursor");
        if (Files.exists(cursor)) {
            String[] at = Files.readString(cursor).trim().split(" ");
            readSegment = Long.parseLong(at[0]);
            readOffset = Long.parseLong(at[1]);
        } else {
            readSegment = segments.isEmpty() ? 1 : segments.firstKey();
            readOffset = 0;
        }
        // segments wholly before the cursor were delivered: a crash came between the cursor's write and their deletion
        for (Long id : new ArrayList<>(segments.headMap(readSegment, false).keySet())) {
            Files.deleteIfExists(segments.remove(id));
        }
        activeId = segments.isEmpty() ? Math.max(1, readSegment) : segments.lastKey();
        Path last = segments.computeIfAbsent(activeId, this::segmentPath);
        long valid = validLength(last);
        active = FileChannel.open(last, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (active.size() > valid) {
            LOG.warn(
                    "spool: cut a torn entry off {} at byte {} (a crash mid-write; it was never acknowledged)",
                    last,
                    valid);
            active.truncate(valid);
            active.force(true);
        }
        active.position(valid);
        long undelivered = 0;
        for (var segment : segments.tailMap(readSegment, true).entrySet()) {
            long size = segment.getKey() == activeId ? valid : Files.size(segment.getValue());
            long from = segment.getKey() == readSegment ? readOffset : 0;
            undelivered += Math.max(0, size - from);
            entries.addAndGet(countEntries(segment.getValue(), from, size));
        }
        reserved.set(undelivered);
        refreshOldest();
        if (undelivered > 0) {
            LOG.info(
                    "spool: {} undelivered entries ({} bytes) from an earlier process, delivered first",
                    entries.get(),
                    undelivered);
        }
    }

    /**
     * Appends a push. The future completes once it is durable, or fails with {@link SpoolFullException} at once when the
     * spool holds its maximum.
     */
    public CompletableFuture<Void> append(PushRecord record) {
        byte[] frame = frame(record);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long now = reserved.addAndGet(frame.length);
        if (now > maxBytes || !open) {
            reserved.addAndGet(-frame.length);
            done.completeExceptionally(
                    open ? new SpoolFullException(maxBytes) : new IllegalStateException("spool closed"));
            return done;
        }
        queue.add(new Pending(frame, done));
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("spool: could not write {} entries: {}", batch.size(), e.toString());
                for (Pending p : batch) {
                    reserved.addAndGet(-p.frame().length);
                    p.done().completeExceptionally(e);
                }
            }
            batch.clear();
        }
    }

    private void write(List<Pending> batch) throws IOException {
        synchronized (this) {
            for (Pending p : batch) {
                if (active.position() > 0 && active.position() + p.frame().length > segmentBytes) {
                    roll();
                }
                ByteBuffer buffer = ByteBuffer.wrap(p.frame());
                while (buffer.hasRemaining()) {
                    active.write(buffer);
                }
            }
            active.force(false);
            entries.addAndGet(batch.size());
        }
        for (Pending p : batch) {
            p.done().complete(null);
        }
        if (oldestReceivedAt == Long.MAX_VALUE) {
            refreshOldest();
        }
    }

    private void roll() throws IOException {
        active.force(false);
        active.close();
        activeId++;
        Path next = segmentPath(activeId);
        segments.put(activeId, next);
        active = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        forceDirectory();
    }

    /** The next undelivered entries, at most {@code max}, in the order written; empty when there are none. */
    public synchronized List<Entry> peek(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        long segment = readSegment;
        long offset = readOffset;
        while (out.size() < max) {
            Path file = segments.get(segment);
            if (file == null) {
                break;
            }
            long end = segment == activeId ? active.position() : Files.size(file);
            if (offset >= end) {
                Long next = segments.higherKey(segment);
                if (next == null) {
                    break;
                }
                segment = next;
                offset = 0;
                continue;
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                while (out.size() < max && offset < end) {
                    ByteBuffer header = ByteBuffer.allocate(HEADER);
                    readFully(in, header, offset);
                    int length = header.getInt(0);
                    ByteBuffer body = ByteBuffer.allocate(length);
                    readFully(in, body, offset + HEADER);
                    offset += HEADER + length;
                    out.add(new Entry(decode(body.array()), segment, offset, HEADER + length));
                }
            }
        }
        return out;
    }

    /** Marks entries delivered, the last of them last: durably, before their segments are deleted. */
    public synchronized void delivered(List<Entry> done) throws IOException {
        if (done.isEmpty()) {
            return;
        }
        Entry last = done.get(done.size() - 1);
        readSegment = last.segment();
        readOffset = last.nextOffset();
        Path cursor = dir.resolve("cursor");
        Path next = dir.resolve("cursor.next");
        Files.writeString(next, readSegment + " " + readOffset + "\n", StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(next, cursor, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        for (Long id : new ArrayList<>(segments.headMap(readSegment, false).keySet())) {
            Files.deleteIfExists(segments.remove(id));
        }
        reserved.addAndGet(-done.stream().mapToLong(Entry::bytes).sum());
        entries.addAndGet(-done.size());
        refreshOldest();
    }

    private void refreshOldest() {
        try {
            List<Entry> head = peek(1);
            oldestReceivedAt =
                    head.isEmpty() ? Long.MAX_VALUE : head.get(0).record().receivedAt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether every appended entry has been delivered (or none was appended). */
    public boolean isEmpty() {
        return reserved.get() == 0;
    }

    /** Bytes of undelivered entries, those being written included. */
    public long bytes() {
        return reserved.get();
    }

    /** Undelivered entries written. */
    public long entries() {
        return entries.get();
    }

    /** The most bytes the spool holds. */
    public long maxBytes() {
        return maxBytes;
    }

    /** When the oldest undelivered entry was received (epoch ms), or empty. */
    public java.util.OptionalLong oldestReceivedAt() {
        long at = oldestReceivedAt;
        return at == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
    }

    @Override
    public void close() throws IOException {
        open = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            active.force(false);
            active.close();
        }
    }

    static byte[] frame(PushRecord record) {
        byte[] app = record.app().getBytes(StandardCharsets.UTF_8);
        byte[] key = record.key();
        byte[] value = record.value();
        int length = 8 + 2 + app.length + 4 + (key == null ? 0 : key.length) + 4 + value.length;
        ByteBuffer out = ByteBuffer.allocate(HEADER + length);
        out.putInt(length).putInt(0);
        out.putLong(record.receivedAt());
        out.putShort((short) app.length).put(app);
        out.putInt(key == null ? -1 : key.length);
        if (key != null) {
            out.put(key);
        }
        out.putInt(value.length).put(value);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), HEADER, length);
        out.putInt(4, (int) crc.getValue());
        return out.array();
    }

    private static PushRecord decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        long receivedAt = in.getLong();
        byte[] app = new byte[in.getShort()];
        in.get(app);
        int keyLength = in.getInt();
        byte[] key = null;
        if (keyLength >= 0) {
            key = new byte[keyLength];
            in.get(key);
        }
        byte[] value = new byte[in.getInt()];
        in.get(value);
        return new PushRecord(new String(app, StandardCharsets.UTF_8), key, value, receivedAt);
    }

    /** The length of the file's prefix made of whole entries with a matching checksum. */
    private static long validLength(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset + HEADER <= size) {
                header.clear();
                readFully(in, header, offset);
                int length = header.getInt(0);
                if (length <= 0 || length > MAX_ENTRY || offset + HEADER + length > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(in, body, offset + HEADER);
                CRC32C crc = new CRC32C();
                crc.update(body.array());
                if ((int) crc.getValue() != header.getInt(4)) {
                    break;
                }
                offset += HEADER + length;
            }
            return offset;
        }
    }

    private static long countEntries(Path file, long from, long end) throws IOException {
        long count = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            for (long offset = from; offset + HEADER <= end; count++) {
                header.clear();
                readFully(in, header, offset);
                offset += HEADER + header.getInt(0);
            }
        }
        return count;
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = in.read(buffer, at);
            if (read < 0) {
                throw new IOException("spool entry cut short at byte " + at);
            }
            at += read;
        }
        buffer.flip();
    }

    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for force; the file's own force still holds its bytes
        }
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%020d%s", id, SUFFIX));
    }

    private static long idOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }
}
