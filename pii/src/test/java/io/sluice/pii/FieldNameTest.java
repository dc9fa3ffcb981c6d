package io.sluice.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldNameTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rrn",
                "jumin_no",
                "residentRegistrationNo",
                "resident-no",
                "주민번호",
                "외국인등록번호",
                "registration_no",
                "national_id",
                "customer_ssn",
                "SSN",
                "userSsn"
            })
    void namesThatSayResidentRegistrationNumber(String name) {
        assertThat(FieldName.of(List.of(name)).saysRrn()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"phone", "mobile_no", "msisdn", "tel", "userTel", "hp_no", "cell", "휴대폰", "연락처"})
    void namesThatSayPhoneNumber(String name) {
        assertThat(FieldName.of(List.of(name)).saysPhone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classname", "session_no", "hotel", "telemetry", "cellar", "order_no", "user_id", "ts"})
    void namesThatSayNeither(String name) {
        FieldName field = FieldName.of(List.of(name));

        assertThat(field.saysRrn()).isFalse();
        assertThat(field.saysPhone()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kyc", "customer"})
    void aNameAboveTheValueCounts(String parent) {
        assertThat(FieldName.of(List.of(parent, "rrn")).child("value").saysRrn())
                .isTrue();
        assertThat(FieldName.of(List.of("rrn", parent)).saysRrn()).isTrue();
    }
}
