package dev.tarifa.gateway.search;

import dev.tarifa.shared.cache.Lookup;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.search.SearchQuery;
import dev.tarifa.shared.search.TripQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Answers a trip: every leg ({@link TripQuery#legs()}) looked up through the quote cache like any
 * search, all at once, then {@link TripBundles#build bundled}. A leg fails on its own (named, the
 * trip degraded); only when every leg failed does the trip fail, with the first leg's problem (or a
 * 503).
 */
public final class TripSearch {
  private TripSearch() {}

  /**
   * @param lookup one search through the cache (the route's own path: same keys, coalescing,
   *     stale-if-error)
   */
  public static Future<JsonObject> answer(
      TripQuery q, Function<SearchQuery, Future<Lookup>> lookup) {
    List<TripQuery.Leg> legs = q.legs();
    List<Future<Lookup>> lookups = new ArrayList<>(legs.size());
    for (TripQuery.Leg leg : legs) {
      Future<Lookup> f;
      try {
        f = lookup.apply(leg.search());
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      lookups.add(f);
    }
    return Future.join(lookups)
        .transform(
            done -> {
              List<TripBundles.Leg> outcomes = new ArrayList<>(legs.size());
              Throwable firstFailure = null;
              for (int i = 0; i < legs.size(); i++) {
                Future<Lookup> f = lookups.get(i);
                String name = legs.get(i).name();
                if (f.failed() && f.cause() instanceof OriginError rejected) {
                  // The leg's service has nothing for the query the trip derived (e.g. no hotels
                  // near `to`, a 4xx): an
                  // answer without results, not a failure; reporting it as failed would flag a
                  // healthy trip as degraded.
                  outcomes.add(TripBundles.Leg.rejected(name, rejected.status(), rejected.body()));
                  continue;
                }
                JsonObject answer = null;
                if (f.succeeded() && f.result().response().negative()) {
                  answer =
                      new JsonObject()
                          .put("results", new JsonArray()); // the summary said so: nothing to read
                } else if (f.succeeded()) {
                  try {
                    answer = new JsonObject(f.result().response().body());
                  } catch (RuntimeException e) {
                    answer = null; // an origin answer that is not JSON: this leg failed
                  }
                } else if (firstFailure == null) {
                  firstFailure = f.cause();
                }
                outcomes.add(
                    answer == null
                        ? TripBundles.Leg.failed(name)
                        : new TripBundles.Leg(
                            name, answer, f.result().result().header(), f.result().degraded()));
              }
              if (outcomes.stream().allMatch(l -> l.answer() == null)) {
                return Future.failedFuture(
                    firstFailure instanceof Problem p
                        ? p
                        : Problem.unavailable("no leg of the trip could be searched"));
              }
              return Future.succeededFuture(TripBundles.build(q, outcomes));
            });
  }
}
