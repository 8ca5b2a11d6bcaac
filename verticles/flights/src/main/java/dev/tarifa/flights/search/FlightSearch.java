package dev.tarifa.flights.search;

import dev.tarifa.flights.domain.Airline;
import dev.tarifa.flights.domain.Airport;
import dev.tarifa.flights.domain.AirportMatches;
import dev.tarifa.flights.domain.Cabin;
import dev.tarifa.flights.domain.Itineraries;
import dev.tarifa.flights.domain.Itinerary;
import dev.tarifa.flights.domain.RatedAirline;
import dev.tarifa.flights.domain.Reference;
import dev.tarifa.flights.domain.SearchQuery;
import dev.tarifa.flights.store.FlightStore;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.pricing.Offer;
import dev.tarifa.shared.pricing.SearchPage;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.FlightQuery;
import dev.tarifa.shared.search.SearchAnswer;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A flight search: nonstop and one-stop itineraries of a date from the store, ranked ({@link
 * Itineraries}), one page with each leg's airline rating, and the answer's summary. Tags name the
 * searched pair, then every airline of every ranked itinerary (a rating change evicts by the
 * airline). No tag per leg: every miss pays per tag (header, L1 index, one Redis set each), so an
 * admin change of a leg names instead the searched pairs whose itineraries can contain it ({@link
 * dev.tarifa.flights.store.AdminStore}), which is rare.
 */
public final class FlightSearch {
  private final FlightStore store;
  private final Reference ref;
  private final Clock clock;

  public FlightSearch(FlightStore store, Reference ref, Clock clock) {
    this.store = store;
    this.ref = ref;
    this.clock = clock;
  }

  /** Whether an IATA code is a known airport: the reference check of {@link FlightQuery#parse}. */
  public boolean knownAirport(String iata) {
    return ref.airports().containsKey(iata);
  }

  /** Airports whose IATA code, city or name starts with {@code q}; busiest first, at most 10. */
  public Future<AirportMatches> airports(String q) {
    return store.autocomplete(q).map(list -> new AirportMatches(q, list));
  }

  /** The airport of an IATA code (any case); a failed future with {@link NotFound} if unknown. */
  public Future<Airport> airport(String iata) {
    Airport a = ref.airports().get(iata.toUpperCase(Locale.ROOT));
    return a == null
        ? Future.failedFuture(new NotFound("no airport " + iata))
        : Future.succeededFuture(a);
  }

  /**
   * The airline of an IATA code (any case) with its rating; a failed future with {@link NotFound}
   * if unknown.
   */
  public Future<RatedAirline> airline(String iata) {
    Airline a = ref.airlines().get(iata.toUpperCase(Locale.ROOT));
    if (a == null) return Future.failedFuture(new NotFound("no airline " + iata));
    return store.ratings(List.of(a.iata())).map(r -> new RatedAirline(a, r.get(a.iata())));
  }

  public Future<SearchAnswer> search(FlightQuery q) {
    SearchQuery query =
        new SearchQuery(
            q.from(),
            q.to(),
            q.date(),
            q.adults(),
            Cabin.of(q.cabin()),
            q.maxStops(),
            SearchQuery.Sort.valueOf(q.sort().toUpperCase(Locale.ROOT)),
            q.limit(),
            q.offset());
    LocalDate today = LocalDate.now(clock);
    return store
        .candidates(query)
        .compose(
            candidates ->
                store
                    .fares(candidates, query.cabin().code())
                    .map(fares -> Itineraries.build(query, today, ref, candidates, fares)))
        .compose(
            all -> {
              List<Itinerary> page = SearchPage.page(all, q.limit(), q.offset());
              Set<String> airlines = new TreeSet<>();
              for (Itinerary it : page)
                for (Itinerary.Leg l : it.legs()) airlines.add(l.airline().iata());
              return store
                  .ratings(List.copyOf(airlines))
                  .map(ratings -> answer(q, all, page, ratings));
            });
  }

  private static SearchAnswer answer(
      FlightQuery q, List<Itinerary> all, List<Itinerary> page, Map<String, JsonObject> ratings) {
    Set<String> answered = new TreeSet<>();
    for (Itinerary it : all) for (Offer o : it.offers().offers()) answered.add(o.providerCode());
    // ratings are shown for the page's airlines only and rank nothing: an airline's rating change
    // alters only the pages that show it
    Set<String> tags = new TreeSet<>();
    for (Itinerary it : page)
      for (Itinerary.Leg l : it.legs()) tags.add(CacheTag.airline(l.airline().iata()).value());
    List<CacheTag> ordered = new ArrayList<>(tags.size() + 1);
    ordered.add(CacheTag.flights(q.from(), q.to()));
    for (String t : tags) ordered.add(new CacheTag(t));
    SearchSummary summary =
        SearchSummary.of(page.stream().map(Itinerary::offers).toList(), ordered);
    // written straight into the body's buffer: the same bytes as SearchPage.envelope over the
    // itineraries' JSON trees, without the trees
    return new SearchAnswer(
        FlightAnswerJson.write(q, page, all.size(), answered, ratings), summary);
  }
}
