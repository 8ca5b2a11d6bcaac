package dev.tarifa.cars.search;

import dev.tarifa.cars.domain.CarClass;
import dev.tarifa.cars.domain.CarOffers;
import dev.tarifa.cars.domain.CarOffers.Product;
import dev.tarifa.cars.domain.Station;
import dev.tarifa.cars.store.CarStore;
import dev.tarifa.shared.domain.NotFound;
import dev.tarifa.shared.events.RatingsConsumer;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.pricing.SearchPage;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.CarQuery;
import dev.tarifa.shared.search.SearchAnswer;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A car search: the station's classes with every supplier's total for the rental, one page with
 * each supplier's rating on its offers, and the answer's summary. Tags name the station and every
 * supplier shown (a rating change evicts by the supplier).
 */
public final class CarSearch {
  private final CarStore store;

  public CarSearch(CarStore store) {
    this.store = store;
  }

  /** Whether an ACRISS code is in the catalogue: the reference check of {@link CarQuery#parse}. */
  public static boolean knownClass(String code) {
    return CarClass.of(code) != null;
  }

  /**
   * @return the answer, or a failed future with a 400 naming {@code location} when there is no
   *     station there
   */
  public Future<SearchAnswer> search(CarQuery q) {
    return store
        .station(q.location())
        .compose(
            st ->
                st == null
                    ? Future.failedFuture(
                        Problem.badRequest("location", "no rental station at " + q.location()))
                    : store
                        .offerRows(st.iata(), q.carClass())
                        .compose(
                            rows -> {
                              List<Product> all = CarOffers.products(st, rows, q);
                              List<Product> page = SearchPage.page(all, q.limit(), q.offset());
                              TreeSet<String> suppliers = new TreeSet<>();
                              for (Product p : page)
                                p.comparison()
                                    .offers()
                                    .forEach(o -> suppliers.add(o.providerCode()));
                              return store
                                  .ratings(List.copyOf(suppliers))
                                  .map(ratings -> answer(q, st, all, page, suppliers, ratings));
                            }));
  }

  /**
   * A supplier's public details with its rating under {@code rating}; a failed future with {@link
   * NotFound} when there is no such supplier.
   *
   * @param code the supplier's code, lower case
   */
  public Future<JsonObject> supplier(String code) {
    return RatingsConsumer.withRating(
        store.supplier(code), code, store::ratings, "no supplier " + code);
  }

  private static SearchAnswer answer(
      CarQuery q,
      Station st,
      List<Product> all,
      List<Product> page,
      TreeSet<String> suppliers,
      Map<String, JsonObject> ratings) {
    List<JsonObject> results = new ArrayList<>(page.size());
    for (Product p : page) results.add(withRatings(p.toJson(q), ratings));
    TreeSet<String> answered = new TreeSet<>();
    for (Product p : all) p.comparison().offers().forEach(o -> answered.add(o.providerCode()));
    List<CacheTag> tags = new ArrayList<>(suppliers.size() + 1);
    tags.add(CacheTag.station(st.iata()));
    for (String s : suppliers) tags.add(CacheTag.supplier(s));
    SearchSummary summary = SearchSummary.of(page.stream().map(Product::comparison).toList(), tags);
    return new SearchAnswer(
        SearchPage.envelope(q.toJson(), results, all.size(), q.limit(), q.offset(), answered),
        summary);
  }

  /** Puts the supplier's rating on every offer (and the cheapest) of a product. */
  private static JsonObject withRatings(JsonObject product, Map<String, JsonObject> ratings) {
    for (Object o : product.getJsonArray("offers")) rate((JsonObject) o, ratings);
    rate(product.getJsonObject("cheapest"), ratings);
    return product;
  }

  private static void rate(JsonObject offer, Map<String, JsonObject> ratings) {
    JsonObject provider = offer.getJsonObject("provider");
    if (provider != null) offer.put("rating", ratings.get(provider.getString("code")));
  }
}
