package dev.tarifa.reviews.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.http.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectTest {
  @ParameterizedTest
  @CsvSource({
    "hotel:123, HOTEL, 123, hotel:123",
    "carsupplier:SIXT, CAR_SUPPLIER, SIXT, carsupplier:SIXT",
    "carsupplier:green-motion, CAR_SUPPLIER, green-motion, carsupplier:green-motion",
    "airline:lh, AIRLINE, LH, airline:LH",
    "airline:U2, AIRLINE, U2, airline:U2",
  })
  void parsesTheThreeForms(String input, Subject.Kind kind, String id, String canonical) {
    Subject s = Subject.parse("subject", input);
    assertThat(s.kind()).isEqualTo(kind);
    assertThat(s.id()).isEqualTo(id);
    assertThat(s.toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "hotel",
        "hotel:",
        "hotel:0",
        "hotel:012",
        "hotel:-1",
        "hotel:12a",
        "hotel:1234567890123456789",
        "HOTEL:1",
        "carsupplier:",
        "carsupplier:a b",
        "carsupplier:-x",
        "carsupplier:x_y",
        "airline:L",
        "airline:LHA",
        "airline:L-",
        "restaurant:1",
        ":1",
        "hotel:1:2"
      })
  void rejectsAnythingElseNamingTheParameter(String input) {
    assertThatThrownBy(() -> Subject.parse("subject", input))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.parameter()).isEqualTo("subject");
            });
  }
}
