package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * A table-hour's rows in {@link RowOrder}, merged from runs (a tier-0 object each, or rows already
 * in memory), each sorted on its own, with a row that has the identity of the row before it (a
 * record written twice) dropped.
 *
 * <p>Runs are loaded lazily: one whose earliest event time is known (a tier-0 Avro object records
 * it) is read only once the merge has reached that time. Tier-0 objects arrive in nearly
 * event-time order, so a pass holds the few objects whose event times overlap rather than the
 * whole hour, which is what lets an hour of millions of rows compact in a small heap and without
 * the garbage collector copying it all.
 */
final class HourRowMerge<T> implements Iterator<T> {
    /** Rows of one run, in any order, and the earliest event time among them (the lowest long when unknown). */
    interface Run {
        long earliestEventTime();

        List<Object[]> rows() throws IOException;
    }

    private final List<Run> runs;
    private final RowOrder order;
    private final Function<Object[], T> prepare;
    private final PriorityQueue<Cursor<T>> active =
            new PriorityQueue<>(Comparator.<Cursor<T>, RowOrder.Keyed>comparing(Cursor::head, RowOrder.Keyed.ORDER)
                    .thenComparingInt(Cursor::run));
    private int activated;
    private RowOrder.Keyed previous;
    private T upcoming;
    private long emitted;

    /** A merge of {@code runs} in {@code order}, handing out each row as {@code prepare} makes it. */
    HourRowMerge(List<? extends Run> runs, RowOrder order, Function<Object[], T> prepare) {
        List<Run> byEarliest = new ArrayList<>(runs);
        // stable: runs of equal earliest time keep the caller's order, and with it a re-run's row order
        byEarliest.sort(Comparator.comparingLong(Run::earliestEventTime));
        this.runs = byEarliest;
        this.order = order;
        this.prepare = prepare;
    }

    /** The rows in order, without repeats, as one list: for the few rows of a late pass. */
    static List<Object[]> sortedDistinct(List<? extends Run> runs, RowOrder order) {
        List<Object[]> rows = new ArrayList<>();
        new HourRowMerge<>(runs, order, Function.<Object[]>identity()).forEachRemaining(rows::add);
        return rows;
    }

    /** A run of rows already in memory. */
    static Run inMemory(List<Object[]> rows) {
        return new Run() {
            @Override
            public long earliestEventTime() {
                return Long.MIN_VALUE;
            }

            @Override
            public List<Object[]> rows() {
                return rows;
            }
        };
    }

    @Override
    public boolean hasNext() {
        if (upcoming == null) {
            upcoming = nextDistinct();
        }
        return upcoming != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T row = upcoming;
        upcoming = null;
        emitted++;
        return row;
    }

    /** How many rows the merge has handed out. */
    long emitted() {
        return emitted;
    }

    private T nextDistinct() {
        while (true) {
            Cursor<T> first = nextInOrder();
            if (first == null) {
                return null;
            }
            RowOrder.Keyed head = first.head();
            T row = first.prepared();
            if (first.advance()) {
                active.add(first);
            }
            if (!head.sameRecordAs(previous)) {
                previous = head;
                return row;
            }
        }
    }

    /** The run whose head comes next, taken off the queue, or null when every run is exhausted. */
    private Cursor<T> nextInOrder() {
        while (true) {
            Cursor<T> first = active.peek();
            // a run not yet loaded may hold a row at or before the first loaded one only if it starts no later
            if (activated < runs.size()
                    && (first == null
                            || runs.get(activated).earliestEventTime()
                                    <= first.head().eventTime())) {
                Cursor<T> loaded = loadNextRun();
                if (loaded.hasHead()) {
                    active.add(loaded);
                }
                continue;
            }
            return active.poll();
        }
    }

    private Cursor<T> loadNextRun() {
        int index = activated++;
        try {
            return load(index, runs.get(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Cursor<T> load(int index, Run run) throws IOException {
        List<Object[]> rows = run.rows();
        RowOrder.Keyed[] keys = new RowOrder.Keyed[rows.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = order.key(rows.get(i));
        }
        Arrays.sort(keys, RowOrder.Keyed.ORDER);
        List<T> prepared = new ArrayList<>(keys.length);
        for (RowOrder.Keyed key : keys) {
            prepared.add(prepare.apply(key.row()));
        }
        return new Cursor<>(index, keys, prepared);
    }

    /** A loaded run, sorted, and how far the merge has taken from it. */
    private static final class Cursor<T> {
        private final int run;
        private final RowOrder.Keyed[] rows;
        private final List<T> prepared;
        private int position;

        Cursor(int run, RowOrder.Keyed[] rows, List<T> prepared) {
            this.run = run;
            this.rows = rows;
            this.prepared = prepared;
        }

        int run() {
            return run;
        }

        boolean hasHead() {
            return position < rows.length;
        }

        RowOrder.Keyed head() {
            return rows[position];
        }

        T prepared() {
            return prepared.get(position);
        }

        /** Moves past the head; false once the run is exhausted. Rows taken are let go of, for the collector. */
        boolean advance() {
            rows[position] = null;
            prepared.set(position++, null);
            return position < rows.length;
        }
    }
}
