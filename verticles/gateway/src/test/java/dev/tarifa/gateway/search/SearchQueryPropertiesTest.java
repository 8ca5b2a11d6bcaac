package dev.tarifa.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tarifa.shared.cache.CacheKey;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.search.CarQuery;
import dev.tarifa.shared.search.FlightQuery;
import dev.tarifa.shared.search.HotelQuery;
import dev.tarifa.shared.search.SearchQuery;
import dev.tarifa.shared.search.TripQuery;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property tests of the search parsers and the key builder: random and hostile parameter values
 * never end in anything but a valid query or a 400 problem naming a parameter, and queries that
 * mean the same search (other parameter order, other case, defaults spelled out) always give the
 * same cache key.
 */
class SearchQueryPropertiesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T12:34:00Z"), ZoneOffset.UTC);
  private static final LocalDate TODAY = LocalDate.now(CLOCK);

  private static final Map<String, BiFunction<Params, Clock, ?>> PARSERS =
      Map.of(
          "flights",
          FlightQuery::parse,
          "hotels",
          HotelQuery::parse,
          "cars",
          CarQuery::parse,
          "trips",
          TripQuery::parse);
  private static final Map<String, List<String>> NAMES =
      Map.of(
          "flights",
              List.of(
                  "from", "to", "date", "adults", "cabin", "maxStops", "sort", "limit", "offset"),
          "hotels",
              List.of(
                  "city",
                  "near",
                  "checkIn",
                  "checkOut",
                  "guests",
                  "rooms",
                  "minStars",
                  "sort",
                  "limit",
                  "offset"),
          "cars", List.of("location", "pickUp", "dropOff", "carClass", "sort", "limit", "offset"),
          "trips", List.of("from", "to", "depart", "return", "adults"));

  @Property(tries = 400)
  void hostileValuesGiveAQueryOrA400NamingAParameter(
      @ForAll("domains") String domain,
      @ForAll("hostileQueries") List<Tuple.Tuple2<Integer, String>> raw) {
    List<String> names = NAMES.get(domain);
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    for (Tuple.Tuple2<Integer, String> pair : raw)
      query.add(
          names.get(Math.floorMod(pair.get1(), names.size() + 1) % names.size()), pair.get2());
    try {
      Object parsed = PARSERS.get(domain).apply(Params.of(query), CLOCK);
      assertThat(parsed).isNotNull();
      if (parsed instanceof SearchQuery q) assertThat(q.key().value()).startsWith(domain + ":");
    } catch (Problem p) {
      assertThat(p.status()).as(p.getMessage()).isEqualTo(400);
      assertThat(p.parameter())
          .as("the problem names a parameter: %s", p.getMessage())
          .isNotBlank();
      assertThat(names).as("a parameter of the %s search", domain).contains(p.parameter());
    } catch (RuntimeException e) {
      fail("%s search with %s threw %s instead of a 400 problem", domain, query, e);
    }
  }

  @Property(tries = 200)
  void equalFlightSearchesGiveEqualKeys(
      @ForAll("airportPairs") Tuple.Tuple2<String, String> route,
      @ForAll("daysAhead") int days,
      @ForAll("seeds") long seed) {
    Map<String, String> canonical =
        Map.of("from", route.get1(), "to", route.get2(), "date", TODAY.plusDays(days).toString());
    CacheKey expected =
        FlightQuery.parse(Params.of(multiMap(canonical, new Random(seed), false)), CLOCK).key();
    Map<String, String> spelledOut = new java.util.HashMap<>(canonical);
    spelledOut.putAll(
        Map.of(
            "adults",
            "1",
            "cabin",
            "economy",
            "maxStops",
            "1",
            "sort",
            "price",
            "limit",
            "20",
            "offset",
            "0"));
    CacheKey variant =
        FlightQuery.parse(Params.of(multiMap(spelledOut, new Random(seed + 1), true)), CLOCK).key();
    assertThat(variant).isEqualTo(expected);
    assertThat(variant.value()).isEqualTo(expected.value());
    assertThat(CacheKeys.parse(expected.value()))
        .as("the admin purge reads the key back")
        .isEqualTo(expected);
  }

  @Property(tries = 200)
  void equalHotelSearchesGiveEqualKeys(
      @ForAll("cities") String city, @ForAll("daysAhead") int days, @ForAll("seeds") long seed) {
    Map<String, String> canonical =
        Map.of(
            "city",
            city,
            "checkIn",
            TODAY.plusDays(days).toString(),
            "checkOut",
            TODAY.plusDays(days + 2L).toString());
    CacheKey expected =
        HotelQuery.parse(Params.of(multiMap(canonical, new Random(seed), false)), CLOCK).key();
    Map<String, String> variant = new java.util.HashMap<>(canonical);
    variant.put("city", city.toUpperCase(Locale.ROOT));
    variant.putAll(Map.of("guests", "1", "rooms", "1", "minStars", "1", "sort", "price"));
    assertThat(
            HotelQuery.parse(Params.of(multiMap(variant, new Random(seed + 1), false)), CLOCK)
                .key())
        .isEqualTo(expected);
  }

  @Property(tries = 200)
  void equalCarSearchesGiveEqualKeys(
      @ForAll("airports") String location,
      @ForAll("daysAhead") int days,
      @ForAll("seeds") long seed) {
    Map<String, String> canonical =
        Map.of(
            "location",
            location,
            "pickUp",
            TODAY.plusDays(days) + "T10:00",
            "dropOff",
            TODAY.plusDays(days + 3L) + "T10:00",
            "carClass",
            "cdmr");
    CacheKey expected =
        CarQuery.parse(Params.of(multiMap(canonical, new Random(seed), true)), CLOCK).key();
    Map<String, String> variant = new java.util.HashMap<>(canonical);
    variant.put("carClass", "CDMR");
    variant.putAll(Map.of("sort", "price", "limit", "20", "offset", "0"));
    assertThat(
            CarQuery.parse(Params.of(multiMap(variant, new Random(seed + 1), true)), CLOCK).key())
        .isEqualTo(expected);
  }

  /** The entries in a random order; airport codes in random case when {@code mixCase}. */
  private static MultiMap multiMap(Map<String, String> params, Random random, boolean mixCase) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(params.entrySet());
    Collections.shuffle(entries, random);
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> e : entries) {
      String v = e.getValue();
      boolean code = v.length() == 3 && v.chars().allMatch(Character::isLetter);
      if (mixCase && code && random.nextBoolean()) v = v.toLowerCase(Locale.ROOT);
      m.add(e.getKey(), v);
    }
    return m;
  }

  @Provide
  Arbitrary<String> domains() {
    return Arbitraries.of(PARSERS.keySet());
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<Integer, String>>> hostileQueries() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40),
            Arbitraries.strings()
                .withCharRange('0', '9')
                .withChars('-', '+', '.', 'e', 'E')
                .ofMaxLength(25),
            Arbitraries.of(
                "",
                " ",
                "FRA",
                "fra",
                "JFK",
                "F R",
                "ÄÖÜ",
                "\u0000",
                "%00",
                "%",
                "null",
                "NaN",
                "-0",
                "2147483648",
                "-2147483649",
                "99999999999999999999",
                "2026-02-30",
                "2026-12-01",
                "2026-12-31",
                "2027-12-01",
                "+999999999-12-31",
                "2026-12-01T10:00",
                "2026-12-01T25:00",
                "2026-12-01T10:00:00Z",
                "T",
                "paris-fr",
                "economy",
                "FIRST",
                "price",
                "CDMR",
                "cdmr",
                "XXXXX",
                "1",
                "0",
                "9",
                "10",
                "50",
                "51",
                "1000",
                "1001"),
            Arbitraries.strings().ofMinLength(200).ofMaxLength(5000));
    return Combinators.combine(Arbitraries.integers().between(0, 20), values)
        .as(Tuple::of)
        .list()
        .ofMaxSize(12);
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> airportPairs() {
    return Combinators.combine(airports(), airports())
        .as(Tuple::of)
        .filter(t -> !t.get1().equals(t.get2()));
  }

  @Provide
  Arbitrary<String> airports() {
    return Arbitraries.strings().withCharRange('A', 'Z').ofLength(3);
  }

  @Provide
  Arbitrary<String> cities() {
    return Arbitraries.of("paris-fr", "london-gb", "new-york-us", "frankfurt-de", "tokyo-jp");
  }

  @Provide
  Arbitrary<Integer> daysAhead() {
    return Arbitraries.integers().between(0, 300);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }
}
