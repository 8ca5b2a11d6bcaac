package dev.tarifa.reviews;

import dev.tarifa.shared.launch.ServiceLauncher;

/** Runs the reviews service alone, against the MongoDB given by URL. */
public final class ReviewsMain {
  private ReviewsMain() {}

  public static void main(String[] args) {
    ServiceLauncher.main(env -> new ReviewsService(ReviewsConfig.fromEnv(env)));
  }
}
