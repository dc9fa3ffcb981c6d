package io.sluice.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DimensionSpecTest {
    @Test
    void defaultsToAllColumnsInvalidateSevenDaysAndSluiceNaming() {
        DimensionSpec spec = DimensionSpec.builder("users", "id").build();

        assertThat(spec.track()).isEmpty();
        assertThat(spec.trackExcept()).isEmpty();
        assertThat(spec.deletes()).isEqualTo(DeletesMode.INVALIDATE);
        assertThat(spec.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.naming()).isEqualTo(ColumnNaming.SLUICE);
    }

    @Test
    void namesHistoryColumnsPerNaming() {
        assertThat(ColumnNaming.SLUICE.all())
                .containsExactly(
                        "valid_from",
                        "valid_to",
                        "scd_id",
                        "scd_updated_at",
                        "is_deleted",
                        "version",
                        "is_current",
                        "change_op",
                        "source_seq");
        assertThat(ColumnNaming.DBT.all())
                .containsExactly(
                        "dbt_valid_from",
                        "dbt_valid_to",
                        "dbt_scd_id",
                        "dbt_updated_at",
                        "dbt_is_deleted",
                        "version",
                        "is_current",
                        "change_op",
                        "source_seq");
    }

    @Test
    void readsConfigurationNamesAndRejectsUnknownOnes() {
        assertThat(DeletesMode.ofConfigName("new_record")).isEqualTo(DeletesMode.NEW_RECORD);
        assertThat(ColumnNaming.ofConfigName("dbt")).isEqualTo(ColumnNaming.DBT);
        assertThat(ChangeOp.ofCode("r")).isEqualTo(ChangeOp.READ);
        assertThatThrownBy(() -> DeletesMode.ofConfigName("soft"))
                .hasMessageContaining("invalidate, new_record or ignore");
        assertThatThrownBy(() -> ColumnNaming.ofConfigName("scd")).hasMessageContaining("sluice or dbt");
    }

    @Test
    void rejectsAMissingTableOrKey() {
        assertThatThrownBy(() -> DimensionSpec.builder(" ", "id").build()).hasMessageContaining("table name");
        assertThatThrownBy(() -> DimensionSpec.builder("users").build())
                .hasMessageContaining("'users' key")
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> new DimensionSpec("users", null, null, null, null, null, null))
                .hasMessageContaining("at least one");
    }

    @Test
    void rejectsTrackTogetherWithTrackExcept() {
        assertThatThrownBy(() -> DimensionSpec.builder("users", "id")
                        .track("city")
                        .trackExcept("visits")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("either track or trackExcept");
    }

    @Test
    void rejectsBlankAndRepeatedColumns() {
        assertThatThrownBy(() -> DimensionSpec.builder("users", "id", "id").build())
                .hasMessageContaining("'id' is listed twice");
        assertThatThrownBy(() ->
                        DimensionSpec.builder("users", "id").track("city", "").build())
                .hasMessageContaining("track: column names must not be empty");
    }

    @Test
    void rejectsANonPositiveRetention() {
        assertThatThrownBy(() -> DimensionSpec.builder("users", "id")
                        .retention(Duration.ZERO)
                        .build())
                .hasMessageContaining("retention: must be positive");
    }

    @Test
    void rejectsKeyOrTrackedColumnsNamedLikeHistoryColumns() {
        assertThatThrownBy(() -> DimensionSpec.builder("users", "id")
                        .track("scd_updated_at")
                        .build())
                .hasMessageContaining("'scd_updated_at' collides")
                .hasMessageContaining("choose naming dbt");
        assertThat(DimensionSpec.builder("users", "id")
                        .track("scd_updated_at")
                        .naming(ColumnNaming.DBT)
                        .build()
                        .track())
                .isEqualTo(List.of("scd_updated_at"));
        assertThatThrownBy(() -> DimensionSpec.builder("users", "version")
                        .naming(ColumnNaming.DBT)
                        .build())
                .hasMessageContaining("'version' collides");
    }
}
