package dev.tarifa.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Dates: the fast reader accepts exactly what ISO_LOCAL_DATE accepts; "today" follows the clock
 * across midnight.
 */
class ParamsTest {
  @Test
  void isoDatesReadLikeTheFormatter() {
    for (String ok : new String[] {"2026-12-01", "2028-02-29", "0001-01-01", "9999-12-31"}) {
      assertThat(Params.isoDate(ok)).isEqualTo(LocalDate.parse(ok));
    }
    for (String bad :
        new String[] {
          "2026-02-29",
          "2026-13-01",
          "2026-00-10",
          "2026-1-01",
          "2026/12/01",
          "20261201",
          "2026-12-1x",
          "",
          "+2026-12-01x"
        }) {
      assertThatThrownBy(() -> Params.isoDate(bad))
          .as(bad)
          .isInstanceOf(java.time.DateTimeException.class);
    }
    assertThatThrownBy(() -> params("date", "2026-02-30").date("date"))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.parameter()).isEqualTo("date"));
  }

  @Test
  void travelDatesFollowTheClockAcrossMidnightInItsZone() {
    AtomicLong now = new AtomicLong(Instant.parse("2026-11-21T22:59:00Z").toEpochMilli());
    ZoneId berlin = ZoneId.of("Europe/Berlin"); // 23:59 local: one minute to midnight
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return berlin;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }
        };
    assertThat(params("d", "2026-11-21").travelDate("d", clock, 365))
        .isEqualTo(LocalDate.of(2026, 11, 21));
    now.addAndGet(120_000); // 00:01 on the 22nd in Berlin, still the 21st in UTC
    assertThatThrownBy(() -> params("d", "2026-11-21").travelDate("d", clock, 365))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.getMessage()).contains("past"));
    assertThat(params("d", "2027-11-22").travelDate("d", clock, 365))
        .isEqualTo(LocalDate.of(2027, 11, 22));
    assertThatThrownBy(() -> params("d", "2027-11-23").travelDate("d", clock, 365))
        .isInstanceOf(Problem.class);
    // another clock is never answered from the first one's cached day
    Clock utc = Clock.fixed(Instant.ofEpochMilli(now.get()), ZoneOffset.UTC);
    assertThat(params("d", "2026-11-21").travelDate("d", utc, 365))
        .isEqualTo(LocalDate.of(2026, 11, 21));
  }

  @Test
  void boundedStringsAndDecimalsAre400sNamingTheParameter() {
    assertThat(params("name", "  Hotel Adlon ").required("name", 11)).isEqualTo("Hotel Adlon");
    assertProblem(
        () -> params("name", "Hotel Adlon").required("name", 10),
        "name",
        "name: is longer than 10 characters");
    assertProblem(() -> params("other", "x").required("name", 10), "name", "name: is required");
    assertThat(params("latitude", "-90").decimal("latitude", -90, 90)).isEqualTo(-90.0);
    assertThat(params("latitude", "52.516").decimal("latitude", -90, 90)).isEqualTo(52.516);
    for (String bad : new String[] {"90.0001", "-91", "NaN", "Infinity", "north"}) {
      assertProblem(
          () -> params("latitude", bad).decimal("latitude", -90, 90),
          "latitude",
          "latitude: must be a number between -90 and 90");
    }
  }

  private static void assertProblem(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String parameter, String detail) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.parameter()).isEqualTo(parameter);
              assertThat(p.detail()).isEqualTo(detail);
            });
  }

  private static Params params(String name, String value) {
    return Params.of(MultiMap.caseInsensitiveMultiMap().add(name, value));
  }
}
