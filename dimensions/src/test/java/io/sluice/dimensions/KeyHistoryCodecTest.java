package io.sluice.dimensions;

import static io.sluice.dimensions.UserChange.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyHistoryCodecTest {
    private static final DimensionSpec USERS = DimensionSpec.builder("users", "id")
            .track("city")
            .deletes(DeletesMode.NEW_RECORD)
            .retention(Duration.ofHours(1))
            .build();

    private final KeyHistoryCodec codec = new KeyHistoryCodec();
    private final DimensionHistory history = new DimensionHistory(USERS);

    /** A state with a pruned baseline that holds an open version, and values of every column type. */
    private KeyHistory richState() {
        KeyHistory state = null;
        UserChange[] changes = {
            user(1L).inserted()
                    .lsn(100)
                    .at("10:00:00")
                    .city("서울")
                    .with("balance", new BigDecimal("12.50"))
                    .with("big", new BigDecimal("123456789012345678901234567890"))
                    .with("vip", true)
                    .with("note", null),
            user(1L).updated()
                    .lsn(110)
                    .at("12:00:00")
                    .city("서울")
                    .with("balance", new BigDecimal("1E+3"))
                    .visits(4),
            user(1L).deleted().lsn(120).at("12:30:00").keyOnlyImage(),
        };
        for (UserChange change : changes) {
            state = history.apply(state, change.build()).state();
        }
        return state;
    }

    @Test
    void roundTripsStateWithEveryColumnTypeAndAPrunedBaseline() {
        KeyHistory state = richState();
        assertThat(state.baseline().open())
                .as("the pruned insert left its version open")
                .isNotNull();
        assertThat(state.retainedChangeCount()).isEqualTo(2);

        KeyHistory decoded = codec.decode(codec.encode(state));

        assertThat(codec.encode(decoded)).isEqualTo(codec.encode(state));
        assertThat(history.versions(decoded)).isEqualTo(history.versions(state));
        assertThat(history.versions(decoded).get(0).attributes())
                .containsEntry("balance", new BigDecimal("12.50"))
                .containsEntry("big", new BigDecimal("123456789012345678901234567890"))
                .containsEntry("vip", true)
                .containsEntry("note", null)
                .containsEntry("city", "서울");
        assertThat(decoded.naturalKey()).isEqualTo(state.naturalKey());
        assertThat(decoded.latestCommitMs()).isEqualTo(state.latestCommitMs());
    }

    @Test
    void aDecodedStateBehavesLikeTheOriginal() {
        KeyHistory state = richState();
        DimensionChange next =
                user(1L).inserted().lsn(130).at("13:00:00").city("Busan").build();

        ApplyResult fromOriginal = history.apply(state, next);
        ApplyResult fromDecoded = history.apply(codec.decode(codec.encode(state)), next);

        assertThat(fromDecoded.emissions()).isEqualTo(fromOriginal.emissions());
        assertThat(fromDecoded.currentRow()).isEqualTo(fromOriginal.currentRow());
        assertThat(codec.encode(fromDecoded.state())).isEqualTo(codec.encode(fromOriginal.state()));
    }

    @Test
    void writesTheFormatByteFirst() {
        assertThat(codec.encode(richState())[0]).isEqualTo(KeyHistoryCodec.FORMAT);
    }

    @Test
    void rejectsAnUnknownFormatWithoutEchoingTheBytes() {
        byte[] bytes = codec.encode(richState());
        bytes[0] = 9;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9")
                .hasMessageNotContaining("서울");
    }

    @Test
    void rejectsCorruptOrEmptyState() {
        byte[] corrupt = ("\u0001{\"key\":{\"id\":1}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(corrupt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid format 1");
        assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
