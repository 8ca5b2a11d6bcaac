package dev.tarifa.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.StartupWait;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Without MongoDB, prepare fails with a cause the start-up rule waits on (rather than a start that
 * exits).
 */
@ExtendWith(VertxExtension.class)
class ReviewsStartupTest {

  @Test
  void anUnreachableMongoIsWaitedFor(Vertx vertx) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ReviewsConfig config =
        new ReviewsConfig(
            0,
            URI.create("mongodb://127.0.0.1:" + closed),
            "tarifa_reviews_startup",
            URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1"),
            AuthConfig.fromEnv(Env.of(java.util.Map.of())));
    Throwable failure =
        new ReviewsService(config)
            .prepare(vertx)
            .transform(ar -> Future.succeededFuture(ar.cause()))
            .await(30, TimeUnit.SECONDS);
    assertThat(failure).as("prepare without MongoDB").isNotNull();
    assertThat(StartupWait.isUnreachable(failure)).as("unreachable: %s", failure).isTrue();
  }
}
