package dev.tarifa.gateway;

import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake domain service on port 0: counts calls, records what it received, answers searches with a
 * small envelope (empty when the query mentions {@code ZZZ}), and can fail (status), slow down or
 * stop/start on the same port.
 */
public final class FakeService {
  public final String name;
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger searchCalls = new AtomicInteger();
  public final List<String> uris = new CopyOnWriteArrayList<>();
  public final List<MultiMap> headers = new CopyOnWriteArrayList<>();
  public volatile int failStatus;
  public volatile long delayMs;
  public volatile long basePrice = 10_000;

  /**
   * Per request URI: a status to fail with (0: answer); ignored while {@link #failStatus} is set.
   */
  public volatile java.util.function.ToIntFunction<String> failFor = uri -> 0;

  /**
   * Per request URI: the base price of its search results, instead of {@link #basePrice} (null:
   * basePrice).
   */
  public volatile java.util.function.ToLongFunction<String> basePriceFor;

  /** Per request URI: answer a search without results (as for a query mentioning ZZZ). */
  public volatile java.util.function.Predicate<String> emptyFor = uri -> false;

  /**
   * Per request URI: how many results a search answers (4 unless set; 40 make an answer of several
   * KB).
   */
  public volatile java.util.function.ToIntFunction<String> resultsFor = uri -> 4;

  private final Vertx vertx;
  private HttpServer server;
  private int port;

  public FakeService(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  public Future<FakeService> start() {
    Router router = Router.router(vertx);
    router.route().handler(io.vertx.ext.web.handler.BodyHandler.create());
    router.route().handler(this::handle);
    server = vertx.createHttpServer().requestHandler(router);
    return server
        .listen(port)
        .map(
            s -> {
              port = s.actualPort();
              return this;
            });
  }

  public Future<Void> stop() {
    return server.close();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private void handle(RoutingContext ctx) {
    if (ctx.request().path().startsWith("/health")) {
      ctx.response().end("{}");
      return;
    }
    calls.incrementAndGet();
    uris.add(ctx.request().uri());
    headers.add(MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().headers()));
    long delay = delayMs;
    if (delay > 0) vertx.setTimer(delay, t -> answer(ctx));
    else answer(ctx);
  }

  private void answer(RoutingContext ctx) {
    int status = failStatus > 0 ? failStatus : failFor.applyAsInt(ctx.request().uri());
    if (status > 0) {
      int failStatus = status;
      ctx.response()
          .setStatusCode(failStatus)
          .putHeader("Content-Type", "application/problem+json")
          .end(new JsonObject().put("status", failStatus).put("title", "fake failure").encode());
      return;
    }
    String path = ctx.request().path();
    if (path.endsWith("/search")) {
      searchCalls.incrementAndGet();
      boolean empty = ctx.request().uri().contains("ZZZ") || emptyFor.test(ctx.request().uri());
      JsonArray results = new JsonArray();
      if (!empty) {
        java.util.function.ToLongFunction<String> priceFor = basePriceFor;
        long base = priceFor == null ? basePrice : priceFor.applyAsLong(ctx.request().uri());
        int count = resultsFor.applyAsInt(ctx.request().uri());
        for (int i = 0; i < count; i++) {
          long amount = base + 1000L * (count - 1 - i);
          JsonObject price = new JsonObject().put("amount", amount).put("currency", "EUR");
          results.add(
              new JsonObject()
                  .put("id", name + "-" + i)
                  .put(
                      "offers",
                      new JsonArray()
                          .add(
                              new JsonObject()
                                  .put("provider", new JsonObject().put("code", "p"))
                                  .put("price", price)))
                  .put(
                      "cheapest",
                      new JsonObject()
                          .put("provider", new JsonObject().put("code", "p"))
                          .put("price", price)));
        }
      }
      JsonObject query = new JsonObject();
      ctx.queryParams().forEach(query::put);
      long lowest =
          results.stream()
              .mapToLong(
                  r ->
                      ((JsonObject) r)
                          .getJsonObject("cheapest")
                          .getJsonObject("price")
                          .getLong("amount"))
              .min()
              .orElse(-1);
      new SearchSummary(
              results.size(),
              lowest < 0 ? Optional.empty() : Optional.of(Money.eur(lowest)),
              List.of(new CacheTag(name + ":tag"), new CacheTag(name + ":all")))
          .writeTo(ctx.response().headers());
      ctx.response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("query", query)
                  .put("results", results)
                  .put("total", results.size())
                  .encode());
      return;
    }
    JsonObject echo =
        new JsonObject()
            .put("service", name)
            .put("method", ctx.request().method().name())
            .put("uri", ctx.request().uri())
            .put(
                "body",
                ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().asString());
    ctx.response()
        .setStatusCode("POST".equals(ctx.request().method().name()) ? 201 : 200)
        .putHeader("Content-Type", "application/json")
        .end(echo.encode());
  }
}
