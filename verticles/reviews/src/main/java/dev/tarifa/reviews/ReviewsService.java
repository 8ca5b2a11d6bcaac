package dev.tarifa.reviews;

import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mongo.MongoClient;
import java.util.function.Supplier;

/** The reviews service (MongoDB). */
public final class ReviewsService implements TarifaService {
  private final ReviewsConfig config;

  public ReviewsService(ReviewsConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "reviews";
  }

  @Override
  public int port() {
    return config.port();
  }

  /** Creates the indexes once per process with a short-lived client (idempotent). */
  @Override
  public Future<Void> prepare(Vertx vertx) {
    MongoClient mongo = MongoClient.create(vertx, ReviewsVerticle.mongoConfig(config));
    return ReviewStore.createIndexes(mongo).eventually(mongo::close);
  }

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new ReviewsVerticle(config);
  }
}
