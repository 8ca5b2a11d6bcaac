package dev.tarifa.app;

import dev.tarifa.shared.events.EventsConfig;
import dev.tarifa.shared.events.RabbitMqTransport;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * {@link TracingChecks} with RabbitMQ as the transport and Redis as the gateway's L2 (queue names
 * of its own).
 */
class TracingRabbitMqIT extends TracingChecks {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String ratingsQueue = "flights.ratings.tracing_" + run;

  @Override
  TracingFixture start() throws Exception {
    return new TracingFixture(
        "tarifa_tracing_amqp_it",
        Map.of(
            "TARIFA_AMQP_URL",
            TestServers.rabbitmq().toString(),
            "TARIFA_FLIGHTS_RATINGS_QUEUE",
            ratingsQueue,
            "TARIFA_REDIS_URL",
            TestServers.redis().toString(),
            "TARIFA_CACHE_PREFIX",
            "tracing-" + run + ":"));
  }

  @Override
  String messagingSystem() {
    return "rabbitmq";
  }

  @Override
  @AfterAll
  void tearDown() throws Exception {
    super.tearDown();
    // the flights ratings queue is durable: remove ours (the gateway's invalidation queue expires
    // by itself)
    Vertx v = Vertx.vertx();
    try {
      EventsConfig events = EventsConfig.defaults().withAmqpUrl(TestServers.rabbitmq());
      RabbitMqTransport rabbit =
          TracingFixture.await(
              RabbitMqTransport.create(v, TestServers.rabbitmq(), events, "tracing-cleanup")
                  .start());
      TracingFixture.await(rabbit.deleteQueues(ratingsQueue).otherwiseEmpty());
      TracingFixture.await(rabbit.close());
    } finally {
      TracingFixture.await(v.close());
    }
  }
}
