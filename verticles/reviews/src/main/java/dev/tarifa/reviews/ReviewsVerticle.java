package dev.tarifa.reviews;

import dev.tarifa.reviews.api.ReviewsRouter;
import dev.tarifa.reviews.service.Reviews;
import dev.tarifa.reviews.store.MongoOutboxStore;
import dev.tarifa.reviews.store.ReviewStore;
import dev.tarifa.shared.events.EventRetention;
import dev.tarifa.shared.events.EventTransport;
import dev.tarifa.shared.events.EventTransports;
import dev.tarifa.shared.events.OutboxRelay;
import dev.tarifa.reviews.store.SubjectDirectory;
import dev.tarifa.reviews.store.TracedMongo;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.health.Health;
import dev.tarifa.shared.launch.HttpVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Clock;
import java.util.List;

/**
 * HTTP verticle of the reviews service; its MongoDB client, web client and token verifier are created once per
 * instance, with an outbox relay over {@code review_outbox} and the retention that deletes its sent documents
 * ({@link EventRetention}).
 */
public final class ReviewsVerticle extends HttpVerticle {
  private final ReviewsConfig config;
  private MongoClient mongo;
  private WebClient owners;
  private EventTransport transport;
  private OutboxRelay relay;
  private EventRetention retention;

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
    mongo = TracedMongo.wrap(vertx, MongoClient.create(vertx, mongoConfig(config)));
    owners = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout((int) SubjectDirectory.TIMEOUT_MS)
      .setUserAgent("tarifa-reviews"));
    SubjectDirectory subjects = new SubjectDirectory(owners, config.hotelsUrl(), config.carsUrl(), config.flightsUrl());
    JwtVerifier auth = JwtVerifier.create(vertx, config.auth());
    Health health = new Health(vertx, "reviews").check("mongodb", () -> mongo.runCommand("ping", new JsonObject().put("ping", 1)));
    return EventTransports.create(vertx, config.events(), "reviews").map(t -> {
      transport = t;
      EventTransports.registerReadiness(health, transport);
      MongoOutboxStore outbox = new MongoOutboxStore(mongo);
      relay = OutboxRelay.create(vertx, "reviews", outbox, transport, config.events()).start();
      retention = new EventRetention(vertx, "reviews", List.of(outbox.retention(config.events().outboxRetention())),
        EventRetention.DEFAULT_INTERVAL, EventRetention.DEFAULT_FIRST_DELAY, EventRetention.DEFAULT_BATCH).start();
      return new ReviewsRouter(vertx, health, auth, new Reviews(new ReviewStore(mongo, relay::nudge), subjects, Clock.systemUTC())).router();
    });
  }

  @Override
  protected int port() {
    return config.port();
  }

  @Override
  protected Future<?> closeResources() {
    if (owners != null) owners.close();
    Future<Void> stopped = relay == null ? Future.succeededFuture() : relay.stop();
    return stopped
      .eventually(() -> retention == null ? Future.succeededFuture() : retention.stop())
      .eventually(() -> transport == null ? Future.succeededFuture() : transport.close())
      .eventually(() -> mongo == null ? Future.succeededFuture() : mongo.close());
  }
}
