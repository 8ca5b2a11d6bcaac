package dev.tarifa.shared.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SearchQueryContractTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T15:30:00Z"), ZoneOffset.UTC);
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

  private static Params params(String query) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        m.add(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Params.of(m);
  }

  private static Problem problem(Runnable parse) {
    try {
      parse.run();
    } catch (Problem p) {
      return p;
    }
    throw new AssertionError("expected a 400");
  }

  @Test
  void theUpstreamUriParsesBackToTheSameQuery() {
    FlightQuery f =
        FlightQuery.parse(
            params("from=fra&to=JFK&date=" + TODAY.plusDays(3) + "&cabin=Business"), CLOCK);
    assertThat(FlightQuery.parse(params(f.uri().substring(f.uri().indexOf('?') + 1)), CLOCK))
        .isEqualTo(f);
    HotelQuery h =
        HotelQuery.parse(
            params("city=New%20York&checkIn=" + TODAY + "&checkOut=" + TODAY.plusDays(2)), CLOCK);
    assertThat(HotelQuery.parse(params(h.uri().substring(h.uri().indexOf('?') + 1)), CLOCK))
        .isEqualTo(h);
    CarQuery c =
        CarQuery.parse(
            params(
                "location=jfk&pickUp="
                    + TODAY.plusDays(1)
                    + "T10:00&dropOff="
                    + TODAY.plusDays(3)
                    + "T09:00&carClass=ecmr"),
            CLOCK);
    assertThat(CarQuery.parse(params(c.uri().substring(c.uri().indexOf('?') + 1)), CLOCK))
        .isEqualTo(c);
    assertThat(c.days()).isEqualTo(2);
  }

  @Test
  void aCarPickUpOnTheLastDayIsAcceptedWhateverItsTimeOfDay() {
    String last = TODAY.plusDays(Horizon.MAX_DAYS_AHEAD).toString();
    String dayAfter = TODAY.plusDays(Horizon.MAX_DAYS_AHEAD + 1).toString();
    assertThat(
            CarQuery.parse(
                    params("location=JFK&pickUp=" + last + "T23:59&dropOff=" + dayAfter + "T10:00"),
                    CLOCK)
                .pickUp())
        .isEqualTo(LocalDateTime.parse(last + "T23:59"));
    Problem p =
        problem(
            () ->
                CarQuery.parse(
                    params(
                        "location=JFK&pickUp="
                            + dayAfter
                            + "T00:00&dropOff="
                            + dayAfter
                            + "T10:00"),
                    CLOCK));
    assertThat(p.parameter()).isEqualTo("pickUp");
    assertThat(p.detail()).isEqualTo("pickUp: must be at most 365 days ahead");
  }

  @Test
  void referenceChecksComeAfterEveryOtherCheck() {
    Problem bad =
        problem(
            () ->
                FlightQuery.parse(
                    params("from=XXX&to=JFK&date=" + TODAY.minusDays(1)), CLOCK, iata -> false));
    assertThat(bad.parameter()).isEqualTo("date");
    Problem unknown =
        problem(
            () -> FlightQuery.parse(params("from=FRA&to=XXX&date=" + TODAY), CLOCK, "FRA"::equals));
    assertThat(unknown.detail()).isEqualTo("to: unknown airport XXX");
    assertThat(FlightQuery.parse(params("from=FRA&to=XXX&date=" + TODAY), CLOCK))
        .isNotNull(); // the gateway's parse
    Problem cls =
        problem(
            () ->
                CarQuery.parse(
                    params(
                        "location=JFK&pickUp="
                            + TODAY
                            + "T10:00&dropOff="
                            + TODAY
                            + "T12:00&carClass=zzzz"),
                    CLOCK,
                    code -> false));
    assertThat(cls.detail()).isEqualTo("carClass: unknown car class ZZZZ");
    assertThatThrownBy(
            () ->
                CarQuery.parse(
                    params(
                        "location=JFK&pickUp="
                            + TODAY
                            + "T10:00&dropOff="
                            + TODAY
                            + "T12:00&carClass=zzzz&limit=0"),
                    CLOCK,
                    code -> false))
        .isInstanceOf(Problem.class)
        .hasMessage("limit: must be between 1 and 50");
  }
}
