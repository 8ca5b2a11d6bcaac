package dev.tarifa.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.search.FlightQuery;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The memo of validated searches: trusted within the minute of validation only, and bounded. */
class ParsedSearchesTest {
  private static final long T =
      1_795_000_000_000L - 1_795_000_000_000L % 60_000; // a minute boundary

  @Test
  void answersWithinTheMinuteOfValidationOnly() {
    ParsedSearches memo = new ParsedSearches(10);
    FlightQuery q = query("FRA");
    ParsedSearches.Parsed stored = memo.put("from=FRA&to=JFK", q, T + 1_000);
    assertThat(stored.key()).isEqualTo(q.key());
    assertThat(memo.get("from=FRA&to=JFK", T + 59_999)).isSameAs(stored);
    assertThat(memo.get("from=fra&to=JFK", T + 2_000))
        .isNull(); // another raw text is validated on its own
    assertThat(memo.get("from=FRA&to=JFK", T + 60_000))
        .isNull(); // the next minute re-validates (dates may have moved)
    assertThat(memo.size()).isZero();
    assertThat(memo.get(null, T)).isNull();
  }

  @Test
  void dropsTheLeastRecentlyUsedBeyondItsCapacity() {
    ParsedSearches memo = new ParsedSearches(2);
    memo.put("a", query("AAA"), T);
    memo.put("b", query("BBB"), T);
    assertThat(memo.get("a", T)).isNotNull(); // a is now the most recently used
    memo.put("c", query("CCC"), T);
    assertThat(memo.size()).isEqualTo(2);
    assertThat(memo.get("b", T)).isNull();
    assertThat(memo.get("a", T)).isNotNull();
    assertThat(memo.get("c", T)).isNotNull();
  }

  @Test
  void anotherMinuteDropsEveryEntryOfTheMinuteBefore() {
    ParsedSearches memo = new ParsedSearches(10);
    for (String from : new String[] {"AAA", "BBB", "CCC"}) memo.put(from, query(from), T + 5_000);
    assertThat(memo.size()).isEqualTo(3);
    memo.put("DDD", query("DDD"), T + 60_000);
    assertThat(memo.size()).as("only the new minute's entry").isEqualTo(1);
    assertThat(memo.get("DDD", T + 60_001)).isNotNull();
    assertThat(memo.get("EEE", T + 120_000)).isNull();
    assertThat(memo.size()).isZero();
  }

  private static FlightQuery query(String from) {
    return new FlightQuery(
        from, "JFK", LocalDate.of(2026, 12, 21), 1, "economy", 1, "price", 20, 0);
  }
}
