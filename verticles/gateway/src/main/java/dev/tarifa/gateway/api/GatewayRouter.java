package dev.tarifa.gateway.api;

import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayShared;
import dev.tarifa.gateway.admin.CacheAdmin;
import dev.tarifa.gateway.admin.DeadLetterAdmin;
import dev.tarifa.gateway.admin.DeadLetterChange;
import dev.tarifa.gateway.edge.SecurityHeaders;
import dev.tarifa.gateway.edge.UriLimit;
import dev.tarifa.gateway.search.CacheKeys;
import dev.tarifa.gateway.search.CachedAnswers;
import dev.tarifa.gateway.search.OriginError;
import dev.tarifa.gateway.search.ParsedSearches;
import dev.tarifa.gateway.search.SearchOrigin;
import dev.tarifa.gateway.search.TripSearch;
import dev.tarifa.gateway.upstream.Forwarder;
import dev.tarifa.gateway.upstream.GatewayMetrics;
import dev.tarifa.gateway.upstream.Upstream;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.cache.CacheKey;
import dev.tarifa.shared.cache.Lookup;
import dev.tarifa.shared.cache.QuoteCache;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.RequestIds;
import dev.tarifa.shared.http.Responses;
import dev.tarifa.shared.http.Routers;
import dev.tarifa.shared.search.CarQuery;
import dev.tarifa.shared.search.FlightQuery;
import dev.tarifa.shared.search.HotelQuery;
import dev.tarifa.shared.search.SearchQuery;
import dev.tarifa.shared.search.TripQuery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The public API. Searches are validated and normalised here, then answered from the quote cache
 * (whose origin is the owning service); everything else is passed through to the owning service
 * (see ARCHITECTURE.md, the internal API contract), after the gateway's own auth checks.
 */
public final class GatewayRouter {
  private final Vertx vertx;
  private final Health health;
  private final GatewayConfig config;
  private final long clientMaxAge;
  private final GatewayShared shared;
  private final QuoteCache cache;
  private final CacheAdmin cacheAdmin;
  private final DeadLetterAdmin deadLetterAdmin;
  private final JwtVerifier auth;
  private final Map<String, Upstream> upstreams;
  private final Clock clock;
  // one per route and per verticle instance (event loop): no locking on the hot path
  private final ParsedSearches flightQueries = new ParsedSearches(PARSED_SEARCHES);
  private final ParsedSearches hotelQueries = new ParsedSearches(PARSED_SEARCHES);
  private final ParsedSearches carQueries = new ParsedSearches(PARSED_SEARCHES);
  private static final int PARSED_SEARCHES = 4096;

  public GatewayRouter(
      Vertx vertx,
      Health health,
      GatewayConfig config,
      GatewayShared shared,
      JwtVerifier auth,
      Map<String, Upstream> upstreams,
      Clock clock) {
    this.vertx = vertx;
    this.health = health;
    this.config = config;
    this.clientMaxAge = config.clientMaxAge().toSeconds();
    this.shared = shared;
    this.cache = shared.cache();
    this.cacheAdmin = new CacheAdmin(cache);
    this.deadLetterAdmin = new DeadLetterAdmin(shared.events()::get);
    this.auth = auth;
    this.upstreams = upstreams;
    this.clock = clock;
  }

  public Router router() {
    // edge: on every route but health and metrics, before any body is read (so a 413 carries the
    // headers too)
    Router router =
        Routers.create(
            vertx,
            health,
            config.bodyLimit(),
            new SecurityHeaders(config.hsts()),
            new UriLimit(config.maxUriLength()),
            cors(),
            shared.rateLimiter().handler(auth));
    Upstream users = upstreams.get("users"),
        flights = upstreams.get("flights"),
        hotels = upstreams.get("hotels"),
        cars = upstreams.get("cars"),
        reviews = upstreams.get("reviews");

    // searches: validated, normalised, cached
    router.get("/api/v1/flights/search").handler(this::flightSearch);
    router.get("/api/v1/hotels/search").handler(this::hotelSearch);
    router.get("/api/v1/cars/search").handler(this::carSearch);
    router.get("/api/v1/trips/search").handler(this::tripSearch);

    // users
    router.post("/api/v1/auth/register").handler(Forwarder.to(users));
    router.post("/api/v1/auth/login").handler(Forwarder.to(users));
    router.get("/api/v1/me").handler(auth.requireUser()).handler(Forwarder.to(users));

    // catalogue and details
    router.get("/api/v1/airports").handler(this::airportSearch);
    router.get("/api/v1/airports/:iata").handler(this::catalogueEntry);
    router.get("/api/v1/airlines/:iata").handler(this::catalogueEntry);
    router.get("/api/v1/hotels/:id").handler(Forwarder.to(hotels));
    router.get("/api/v1/cars/suppliers/*").handler(Forwarder.to(cars));

    // reviews: reading is public, writing needs a user
    router.get("/api/v1/reviews").handler(Forwarder.to(reviews));
    router.get("/api/v1/reviews/*").handler(Forwarder.to(reviews));
    router.post("/api/v1/reviews").handler(auth.requireUser()).handler(Forwarder.to(reviews));
    router
        .post("/api/v1/reviews/:id/helpful")
        .handler(auth.requireUser())
        .handler(Forwarder.to(reviews));

    // admin: the admin role at the gateway (the services check again)
    router.route("/admin/v1/*").handler(auth.requireRole("admin"));
    router.get("/admin/v1/cache").handler(this::cacheStats);
    router.delete("/admin/v1/cache").handler(Routers.async(this::cachePurge));
    router.get("/admin/v1/events/dead-letters").handler(Routers.async(this::deadLetters));
    router
        .post("/admin/v1/events/dead-letters/replay")
        .handler(Routers.async(this::replayDeadLetters));
    router.delete("/admin/v1/events/dead-letters").handler(Routers.async(this::discardDeadLetters));
    admin(router, "users", users);
    admin(router, "flights", flights);
    admin(router, "hotels", hotels);
    admin(router, "cars", cars);
    admin(router, "reviews", reviews);

    // the API description and the consumer web page (classpath resources)
    router
        .get("/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/yaml")
                    .sendFile("openapi.yaml"));
    router
        .get("/*")
        .handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(300));
    return router;
  }

  private static void admin(Router router, String resource, Upstream upstream) {
    router.route("/admin/v1/" + resource).handler(Forwarder.to(upstream));
    router.route("/admin/v1/" + resource + "/*").handler(Forwarder.to(upstream));
  }

  private CorsHandler cors() {
    return CorsHandler.create()
        .addOrigins(config.corsOrigins())
        .allowedMethods(
            Set.of(
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.PATCH,
                HttpMethod.DELETE))
        .allowedHeaders(
            Set.of("Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-Id"))
        .exposedHeaders(
            Set.of(
                "ETag",
                "Age",
                "X-Cache",
                "X-Degraded",
                "X-Request-Id",
                "Retry-After",
                "Location",
                "Server-Timing"))
        .maxAgeSeconds(600);
  }

  // ---- searches ---------------------------------------------------------------------------------

  private void flightSearch(RoutingContext ctx) {
    search(ctx, flightQueries, FlightQuery::parse);
  }

  private void hotelSearch(RoutingContext ctx) {
    search(ctx, hotelQueries, HotelQuery::parse);
  }

  private void carSearch(RoutingContext ctx) {
    search(ctx, carQueries, CarQuery::parse);
  }

  private void search(
      RoutingContext ctx,
      ParsedSearches parsed,
      BiFunction<Params, Clock, ? extends SearchQuery> parser) {
    String raw = ctx.request().query();
    long now = clock.millis();
    ParsedSearches.Parsed s = parsed.get(raw, now);
    if (s == null) {
      try {
        s = parsed.put(raw, parser.apply(Params.of(ctx), clock), now);
      } catch (Problem p) {
        ctx.fail(p);
        return;
      }
    }
    SearchQuery q = s.query();
    GatewayMetrics.searchStarted(q.domain());
    Upstream upstream = upstreams.get(q.domain());
    String requestId = RequestIds.of(ctx);
    cache
        .get(s.key(), () -> SearchOrigin.fetch(upstream, q, requestId))
        .onComplete(
            ar -> {
              GatewayMetrics.searchEnded();
              if (ar.succeeded()) CachedAnswers.write(ctx, ar.result(), clientMaxAge);
              else if (ar.cause() instanceof OriginError e) CachedAnswers.writeOriginError(ctx, e);
              else ctx.fail(upstreams.get(q.domain()).problem(ar.cause()));
            });
  }

  private Future<Lookup> lookup(SearchQuery q, String requestId) {
    Upstream upstream = upstreams.get(q.domain());
    return cache.get(q.key(), () -> SearchOrigin.fetch(upstream, q, requestId));
  }

  private void tripSearch(RoutingContext ctx) {
    TripQuery q;
    try {
      q = TripQuery.parse(Params.of(ctx), clock);
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    GatewayMetrics.searchStarted("trips");
    String requestId = RequestIds.of(ctx);
    TripSearch.answer(q, leg -> lookup(leg, requestId))
        .onComplete(
            ar -> {
              GatewayMetrics.searchEnded();
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              JsonObject body = ar.result();
              ctx.response().putHeader("Cache-Control", "no-cache");
              if (body.getBoolean("degraded"))
                ctx.response().putHeader(CachedAnswers.X_DEGRADED, "true");
              Responses.json(ctx, body);
            });
  }

  // ---- catalogue reads (cached: they change only with the catalogue) ----------------------------

  private void airportSearch(RoutingContext ctx) {
    String q;
    try {
      q = Params.of(ctx).required("q");
      if (q.length() < 2 || q.length() > 50)
        throw Problem.badRequest("q", "must be 2 to 50 characters");
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    String normalised = q.toLowerCase(java.util.Locale.ROOT);
    cachedCatalogue(
        ctx,
        CacheKey.of("catalogue", Map.of("airports", normalised)),
        "/api/v1/airports?q="
            + java.net.URLEncoder.encode(normalised, java.nio.charset.StandardCharsets.UTF_8));
  }

  private void catalogueEntry(RoutingContext ctx) {
    String iata = ctx.pathParam("iata").toUpperCase(java.util.Locale.ROOT);
    if (!iata.matches("[A-Z0-9]{2,4}")) {
      ctx.fail(Problem.badRequest("iata", "must be an IATA code"));
      return;
    }
    String kind = ctx.request().path().startsWith("/api/v1/airports/") ? "airport" : "airline";
    cachedCatalogue(
        ctx, CacheKey.of("catalogue", Map.of(kind, iata)), "/api/v1/" + kind + "s/" + iata);
  }

  private void cachedCatalogue(RoutingContext ctx, CacheKey key, String uri) {
    Upstream flights = upstreams.get("flights");
    cache
        .get(key, () -> SearchOrigin.fetchCatalogue(flights, uri, RequestIds.of(ctx)))
        .onComplete(
            ar -> {
              if (ar.succeeded()) CachedAnswers.write(ctx, ar.result(), clientMaxAge);
              else if (ar.cause() instanceof OriginError e) CachedAnswers.writeOriginError(ctx, e);
              else ctx.fail(flights.problem(ar.cause()));
            });
  }

  // ---- cache administration ---------------------------------------------------------------------

  private void cacheStats(RoutingContext ctx) {
    Responses.json(ctx, cacheAdmin.stats().toJson());
  }

  private Future<Void> cachePurge(RoutingContext ctx) {
    Params p = Params.of(ctx);
    String tag = p.string("tag", 200, null);
    String keyText = p.string("key", CacheKey.MAX_LENGTH, null);
    if ((tag == null) == (keyText == null))
      throw Problem.badRequest("tag", "give exactly one of tag and key");
    return (tag != null ? cacheAdmin.evictTag(tag) : cacheAdmin.evictKey(CacheKeys.parse(keyText)))
        .compose(evicted -> Responses.json(ctx, evicted.toJson()));
  }

  // ---- dead letters -----------------------------------------------------------------------------

  private static final java.util.regex.Pattern QUEUE =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

  /**
   * {@code GET /admin/v1/events/dead-letters?queue=&limit=}: the parked messages of {@code
   * <queue>.dlq}.
   */
  private Future<Void> deadLetters(RoutingContext ctx) {
    String queue = queue(ctx);
    int limit = Params.of(ctx).integer("limit", 20, 1, 100);
    return deadLetterAdmin.list(queue, limit).compose(list -> Responses.json(ctx, list.toJson()));
  }

  /**
   * {@code POST /admin/v1/events/dead-letters/replay?queue=&id=}: back to the work queue (all when
   * no id).
   */
  private Future<Void> replayDeadLetters(RoutingContext ctx) {
    return changeDeadLetters(ctx, deadLetterAdmin::replay);
  }

  /** {@code DELETE /admin/v1/events/dead-letters?queue=&id=}: discarded (all when no id). */
  private Future<Void> discardDeadLetters(RoutingContext ctx) {
    return changeDeadLetters(ctx, deadLetterAdmin::discard);
  }

  private Future<Void> changeDeadLetters(
      RoutingContext ctx,
      BiFunction<String, java.util.Optional<String>, Future<DeadLetterChange>> change) {
    String queue = queue(ctx);
    java.util.Optional<String> id =
        java.util.Optional.ofNullable(Params.of(ctx).string("id", 200, null));
    // "id=" must not silently mean "every dead letter": only an absent id does
    if (id.isEmpty() && ctx.queryParams().contains("id"))
      throw Problem.badRequest("id", "must not be blank (omit it to act on every dead letter)");
    return change.apply(queue, id).compose(changed -> Responses.json(ctx, changed.toJson()));
  }

  private static String queue(RoutingContext ctx) {
    String q = Params.of(ctx).raw("queue");
    if (q == null || q.isBlank())
      throw Problem.badRequest("queue", "is required (the consumer's queue, e.g. hotels.ratings)");
    if (q.endsWith(".dlq")) q = q.substring(0, q.length() - 4);
    if (!QUEUE.matcher(q).matches())
      throw Problem.badRequest("queue", "must be a queue name (letters, digits, . _ : -)");
    return q;
  }
}
