package dev.tarifa.flights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimesTest {
  @Test
  void isLocalDateTimeToStringForWholeMinutes() {
    SplittableRandom rnd = new SplittableRandom(42);
    LocalDateTime from = LocalDateTime.of(1000, 1, 1, 0, 0);
    for (int i = 0; i < 100_000; i++) {
      LocalDateTime t = from.plusMinutes(rnd.nextLong(9_000L * 366 * 24 * 60)).withSecond(0);
      assertThat(IsoTimes.minutes(t)).isEqualTo(t.toString());
    }
  }

  @Test
  void fallsBackToToStringOutsideWholeMinutesOfFourDigitYears() {
    for (LocalDateTime t :
        new LocalDateTime[] {
          LocalDateTime.of(2026, 12, 24, 10, 0, 5),
          LocalDateTime.of(2026, 12, 24, 10, 0, 0, 1),
          LocalDateTime.of(999, 1, 1, 0, 0),
          LocalDateTime.of(10_000, 1, 1, 0, 0),
          LocalDateTime.of(2026, 1, 2, 3, 4),
          LocalDateTime.of(9999, 12, 31, 23, 59)
        }) {
      assertThat(IsoTimes.minutes(t)).isEqualTo(t.toString());
    }
  }
}
