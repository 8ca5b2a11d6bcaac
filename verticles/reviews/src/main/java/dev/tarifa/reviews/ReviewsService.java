package dev.tarifa.reviews;

import dev.tarifa.shared.launch.TarifaService;
import io.vertx.core.Deployable;

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

  @Override
  public Supplier<Deployable> verticle() {
    return () -> new ReviewsVerticle(config);
  }
}
