package dev.tarifa.hotels.search;

import dev.tarifa.hotels.domain.HotelOffers;
import dev.tarifa.hotels.domain.HotelOffers.Product;
import dev.tarifa.hotels.store.HotelStore;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.events.RatingsConsumer;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.pricing.SearchPage;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.HotelQuery;
import dev.tarifa.shared.search.SearchAnswer;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A hotel search: the city (named, or the one of the {@code near} airport) resolved by the store,
 * its room types with every provider's price for the stay, one page with each hotel's rating, and
 * the answer's summary. Tags name the city and every hotel shown (its rating is on the page; a
 * rating change evicts by the hotel).
 */
public final class HotelSearch {
  private final HotelStore store;
  private final Clock clock;

  public HotelSearch(HotelStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * @return the answer, or a failed future with a 400 naming {@code city} or {@code near} the store
   *     cannot place
   */
  public Future<SearchAnswer> search(HotelQuery q) {
    LocalDate today = LocalDate.now(clock);
    return cityKey(q)
        .compose(
            key ->
                store
                    .offerRows(key, q.minStars(), q.occupancyNeeded())
                    .compose(
                        rows -> {
                          List<Product> all = HotelOffers.products(rows, q, today);
                          List<Product> page = SearchPage.page(all, q.limit(), q.offset());
                          TreeSet<Long> hotels = new TreeSet<>();
                          for (Product p : page) hotels.add(p.hotel().id());
                          return store
                              .ratings(List.copyOf(hotels))
                              .map(ratings -> answer(q, key, all, page, hotels, ratings));
                        }));
  }

  /**
   * A hotel's public details (city, room types, rates) with its rating under {@code rating}; a
   * failed future with {@link NotFound} when there is no such hotel.
   */
  public Future<JsonObject> details(long id) {
    return RatingsConsumer.withRating(store.details(id), id, store::ratings, "no hotel " + id);
  }

  private Future<String> cityKey(HotelQuery q) {
    return q.near() != null
        ? store
            .cityOfAirport(q.near())
            .compose(
                k ->
                    k != null
                        ? Future.succeededFuture(k)
                        : Future.failedFuture(
                            Problem.badRequest("near", "no hotels near airport " + q.near())))
        : store
            .cityKey(q.city())
            .compose(
                k ->
                    k != null
                        ? Future.succeededFuture(k)
                        : Future.failedFuture(
                            Problem.badRequest("city", "unknown city " + q.city())));
  }

  private static SearchAnswer answer(
      HotelQuery q,
      String cityKey,
      List<Product> all,
      List<Product> page,
      TreeSet<Long> hotels,
      Map<Long, JsonObject> ratings) {
    List<JsonObject> results = new ArrayList<>(page.size());
    for (Product p : page) results.add(p.toJson(q).put("rating", ratings.get(p.hotel().id())));
    TreeSet<String> answered = new TreeSet<>();
    for (Product p : all) p.comparison().offers().forEach(o -> answered.add(o.providerCode()));
    List<CacheTag> tags = new ArrayList<>(hotels.size() + 1);
    tags.add(CacheTag.hotelCity(cityKey));
    for (Long id : hotels) tags.add(CacheTag.hotel(id));
    SearchSummary summary = SearchSummary.of(page.stream().map(Product::comparison).toList(), tags);
    return new SearchAnswer(
        SearchPage.envelope(
            q.toJson(cityKey), results, all.size(), q.limit(), q.offset(), answered),
        summary);
  }
}
