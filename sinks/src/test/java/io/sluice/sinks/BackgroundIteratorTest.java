package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackgroundIteratorTest {
    @Test
    void handsOverEveryElementInOrderAcrossBatches() {
        List<Integer> source = IntStream.range(0, 10_000).boxed().toList();

        List<Integer> taken = new ArrayList<>();
        try (BackgroundIterator<Integer> ahead = new BackgroundIterator<>(source.iterator(), "test-reader")) {
            ahead.forEachRemaining(taken::add);
        }

        assertThat(taken).isEqualTo(source);
    }

    @Test
    void aFailureOfTheSourceReachesTheConsumerAfterTheElementsBeforeIt() {
        Iterator<Integer> failing = Stream.iterate(0, i -> {
                    if (i == 2_500) {
                        throw new IllegalStateException("tier-0 object unreadable");
                    }
                    return i + 1;
                })
                .iterator();

        List<Integer> taken = new ArrayList<>();
        try (BackgroundIterator<Integer> ahead = new BackgroundIterator<>(failing, "test-reader")) {
            assertThatThrownBy(() -> ahead.forEachRemaining(taken::add)).hasMessage("tier-0 object unreadable");
        }
        assertThat(taken).hasSize(2_501).endsWith(2_500);
    }

    @Test
    void closingStopsTheThreadOfAnUnfinishedSourceAndWaitsForIt() {
        Iterator<Integer> endless = Stream.iterate(0, i -> i + 1).iterator();
        BackgroundIterator<Integer> ahead = new BackgroundIterator<>(endless, "test-endless-reader");
        assertThat(ahead.next()).isZero();

        ahead.close();

        assertThat(Thread.getAllStackTraces().keySet())
                .as("the reader thread has ended when close returns")
                .noneMatch(t -> t.getName().equals("test-endless-reader"));
    }
}
