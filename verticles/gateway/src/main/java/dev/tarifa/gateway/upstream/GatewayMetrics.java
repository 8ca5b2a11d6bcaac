package dev.tarifa.gateway.upstream;

import dev.tarifa.shared.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters, one set per JVM (state lives in static fields so gauges never point at
 * a collected object): {@code tarifa_gateway_searches_in_flight}, {@code
 * tarifa_gateway_searches_total{domain}}, {@code tarifa_gateway_circuit_state{upstream}} (0 closed,
 * 1 half-open, 2 open; alert on {@code == 2} held for a minute), {@code
 * tarifa_gateway_upstream_up{upstream}} (1 when the upstream answered its last liveness probe, else
 * 0; probed every few seconds by {@link UpstreamHealth}, so it also catches an upstream that no
 * request has tried).
 */
public final class GatewayMetrics {
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final Map<String, AtomicInteger> CIRCUITS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> UPSTREAMS_UP = new ConcurrentHashMap<>();
  private static final Map<String, Counter> SEARCHES = new ConcurrentHashMap<>();

  static {
    Gauge.builder("tarifa_gateway_searches_in_flight", IN_FLIGHT, AtomicInteger::get)
        .description("search requests in flight in this gateway process")
        .register(Metrics.registry());
  }

  private GatewayMetrics() {}

  public static void searchStarted(String domain) {
    IN_FLIGHT.incrementAndGet();
    Counter c = SEARCHES.get(domain);
    if (c == null)
      c =
          SEARCHES.computeIfAbsent(
              domain,
              d ->
                  Counter.builder("tarifa_gateway_searches")
                      .description("search requests by domain")
                      .tag("domain", d)
                      .register(Metrics.registry()));
    c.increment();
  }

  public static void searchEnded() {
    IN_FLIGHT.decrementAndGet();
  }

  public static int inFlight() {
    return IN_FLIGHT.get();
  }

  public static void circuit(String upstream, CircuitBreakerState state) {
    int value =
        switch (state) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        };
    CIRCUITS
        .computeIfAbsent(
            upstream,
            u -> {
              AtomicInteger holder = new AtomicInteger();
              Gauge.builder("tarifa_gateway_circuit_state", holder, AtomicInteger::get)
                  .description("circuit breaker state per upstream: 0 closed, 1 half-open, 2 open")
                  .tag("upstream", u)
                  .register(Metrics.registry());
              return holder;
            })
        .set(value);
  }

  /** Records the outcome of the last liveness probe of {@code upstream}. */
  public static void upstreamUp(String upstream, boolean up) {
    AtomicInteger holder = UPSTREAMS_UP.get(upstream);
    if (holder == null)
      holder =
          UPSTREAMS_UP.computeIfAbsent(
              upstream,
              u -> {
                AtomicInteger h = new AtomicInteger();
                Gauge.builder("tarifa_gateway_upstream_up", h, AtomicInteger::get)
                    .description(
                        "1 when the upstream answered the gateway's last liveness probe, else 0")
                    .tag("upstream", u)
                    .register(Metrics.registry());
                return h;
              });
    holder.set(up ? 1 : 0);
  }
}
