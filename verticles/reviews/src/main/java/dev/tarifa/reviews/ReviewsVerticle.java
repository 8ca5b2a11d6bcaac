package dev.tarifa.reviews;

import dev.tarifa.reviews.api.ReviewsRouter;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;

/** HTTP verticle of the reviews service; its MongoDB client is created once per instance. */
public final class ReviewsVerticle extends HttpVerticle {
  private final ReviewsConfig config;
  private MongoClient mongo;

  public ReviewsVerticle(ReviewsConfig config) {
    this.config = config;
  }

  @Override
  protected Future<Router> router() {
    mongo = MongoClient.create(vertx, new JsonObject()
      .put("connection_string", config.mongoUrl().toString())
      .put("db_name", config.database())
      .put("serverSelectionTimeoutMS", 2000)
      .put("connectTimeoutMS", 2000));
    Health health = new Health(vertx).check("mongodb", () -> mongo.runCommand("ping", new JsonObject().put("ping", 1)));
    return Future.succeededFuture(new ReviewsRouter(vertx, health, mongo).router());
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    return mongo == null ? Future.succeededFuture() : mongo.close();
  }
}
