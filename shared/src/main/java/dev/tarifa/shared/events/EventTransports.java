package dev.tarifa.shared.events;

import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.health.Health;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/** Chooses the transport from configuration. */
public final class EventTransports {
  private EventTransports() {}

  /**
   * RabbitMQ when {@code TARIFA_AMQP_URL} is set (started: the publisher connection was attempted
   * once, a broker that is down is retried in the background), else the event bus of {@code vertx}.
   * {@code name} labels the connections (the service name). Configuration errors throw {@link
   * dev.tarifa.shared.config.ConfigException}.
   */
  public static Future<EventTransport> fromEnv(Vertx vertx, Env env, String name) {
    return create(vertx, EventsConfig.fromEnv(env), name);
  }

  public static Future<EventTransport> create(Vertx vertx, EventsConfig config, String name) {
    EventMetrics.publishMeters();
    if (config.amqpUrl().isPresent()) {
      return RabbitMqTransport.create(vertx, config.amqpUrl().get(), config, name)
          .start()
          .map(t -> t);
    }
    return Future.succeededFuture(new EventBusTransport(vertx, config));
  }

  /**
   * As {@link #create}, for a process that only subscribes (a gateway): the RabbitMQ publisher
   * connection is not opened, which spares the broker a handshake when it returns from an outage
   * (it would open on a first publish), and {@link EventTransport#ready()} tells whether the
   * subscriptions are consuming.
   */
  public static Future<EventTransport> createSubscriber(
      Vertx vertx, EventsConfig config, String name) {
    EventMetrics.publishMeters();
    if (config.amqpUrl().isPresent())
      return Future.succeededFuture(
          RabbitMqTransport.create(vertx, config.amqpUrl().get(), config, name));
    return Future.succeededFuture(new EventBusTransport(vertx, config));
  }

  /**
   * Registers the transport's publisher state as readiness check {@code events}: reported as {@code
   * {broker: up|down, degraded, error?}}, never failing readiness. While the broker is away the
   * service still answers searches and accepts writes (their events wait in the outbox and are
   * relayed when it is back), so taking every replica out of service would turn a broker outage
   * into a full one.
   */
  public static Health registerReadiness(Health health, EventPublisher publisher) {
    return health.status(
        "events",
        () ->
            publisher
                .ready()
                .transform(
                    ar -> {
                      JsonObject data =
                          new JsonObject()
                              .put("broker", ar.succeeded() ? "up" : "down")
                              .put("degraded", ar.failed());
                      if (ar.failed()) data.put("error", String.valueOf(ar.cause().getMessage()));
                      return Future.succeededFuture(Status.OK(data));
                    }));
  }
}
