package dev.tarifa.reviews;

import dev.tarifa.reviews.api.ReviewsRouter;
import dev.tarifa.reviews.service.Reviews;
import dev.tarifa.reviews.store.MongoOutboxStore;
import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.reviews.store.SubjectDirectory;
import dev.tarifa.reviews.store.TracedMongo;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.launch.HttpVerticle;
import dev.tarifa.shared.launch.RouterParts;
import dev.tarifa.shared.launch.ServiceFrame;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.List;

/**
 * HTTP verticle of the reviews service; its MongoDB client, web client and token verifier are
 * created once per instance. Its {@link ServiceFrame} runs the MongoDB readiness check, the event
 * transport, an outbox relay over {@code review_outbox} and the retention that deletes its sent
 * documents, and closes the MongoDB client last.
 */
public final class ReviewsVerticle extends HttpVerticle {
  private final ReviewsConfig config;
  private WebClient owners;
  private ServiceFrame frame;

  public ReviewsVerticle(ReviewsConfig config) {
    this.config = config;
  }

  static JsonObject mongoConfig(ReviewsConfig config) {
    return new JsonObject()
        .put("connection_string", config.mongoUrl().toString())
        .put("db_name", config.database())
        .put("serverSelectionTimeoutMS", 2000)
        .put("connectTimeoutMS", 2000)
        .put("socketTimeoutMS", 5000);
  }

  @Override
  protected Future<Router> router() {
    MongoClient mongo = TracedMongo.wrap(vertx, MongoClient.create(vertx, mongoConfig(config)));
    owners =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) SubjectDirectory.TIMEOUT_MS)
                .setUserAgent("tarifa-reviews"));
    SubjectDirectory subjects =
        new SubjectDirectory(owners, config.hotelsUrl(), config.carsUrl(), config.flightsUrl());
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    frame =
        ServiceFrame.of(
            vertx,
            "reviews",
            "mongodb",
            () -> mongo.runCommand("ping", new JsonObject().put("ping", 1)),
            mongo::close);
    MongoOutboxStore outbox = new MongoOutboxStore(mongo);
    return frame
        .startEvents(
            config.events(), outbox, List.of(outbox.retention(config.events().outboxRetention())))
        .map(
            f ->
                new ReviewsRouter(
                        new RouterParts(vertx, f.health(), auth, Clock.systemUTC()),
                        new Reviews(
                            new ReviewStore(mongo, f.relay()::nudge), subjects, Clock.systemUTC()))
                    .router());
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    if (owners != null) owners.close();
    return frame == null ? Future.succeededFuture() : frame.close();
  }
}
