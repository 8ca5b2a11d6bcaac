package dev.tarifa.app;

import java.util.Map;

/** {@link TracingChecks} with the embedded event-bus transport (the all-in-one's default). */
class TracingEventBusIT extends TracingChecks {
  @Override
  TracingFixture start() throws Exception {
    return new TracingFixture("tarifa_tracing_bus_it", Map.of());
  }

  @Override
  String messagingSystem() {
    return "vertx-eventbus";
  }
}
