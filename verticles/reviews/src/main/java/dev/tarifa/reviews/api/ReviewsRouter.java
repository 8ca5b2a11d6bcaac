package dev.tarifa.reviews.api;

import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.http.Routers;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;

/** The reviews service's HTTP API. */
public final class ReviewsRouter {
  private final Vertx vertx;
  private final Health health;
  private final MongoClient mongo;

  public ReviewsRouter(Vertx vertx, Health health, MongoClient mongo) {
    this.vertx = vertx;
    this.health = health;
    this.mongo = mongo;
  }

  public Router router() {
    Router router = Routers.create(vertx, health);
    // route table
    return router;
  }
}
