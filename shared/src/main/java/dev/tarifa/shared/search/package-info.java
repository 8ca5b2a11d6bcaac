/**
 * The search contract shared by the gateway and the search services: one typed query per domain
 * ({@link dev.tarifa.shared.search.FlightQuery}, {@link dev.tarifa.shared.search.HotelQuery},
 * {@link dev.tarifa.shared.search.CarQuery}, and the gateway's {@link
 * dev.tarifa.shared.search.TripQuery}), each parsed from request parameters with the same
 * validation everywhere, the travel-date {@link dev.tarifa.shared.search.Horizon}, the {@link
 * dev.tarifa.shared.search.CacheTag} vocabulary, and the {@link
 * dev.tarifa.shared.search.SearchSummary} a service sends in headers next to its answer.
 *
 * <p>A service:
 *
 * <pre>{@code
 * router.get("/api/v1/cars/search").handler(Routers.async(ctx ->
 *   search.search(CarQuery.parse(Params.of(ctx), clock, CarClass::known))   // throws a 400 Problem
 *     .compose(answer -> answer.writeTo(ctx))));
 * }</pre>
 *
 * The gateway parses with the reference-free {@code parse(params, clock)}, keys its cache by {@link
 * dev.tarifa.shared.search.SearchQuery#key()}, calls {@link
 * dev.tarifa.shared.search.SearchQuery#uri()} and reads the answer's {@link
 * dev.tarifa.shared.search.SearchSummary#read summary}. A query the reference refuses (unknown
 * airport, car class, city) passes the gateway and gets the service's 400, which the gateway passes
 * through unchanged and never caches: the client sees the same answer either way.
 */
package dev.tarifa.shared.search;
