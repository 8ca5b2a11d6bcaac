package dev.tarifa.gateway.upstream;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per upstream, shared by every verticle of the process; state changes logged
 * and exported.
 */
public final class Breakers {
  private static final Logger log = LoggerFactory.getLogger(Breakers.class);

  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  /**
   * @param callTimeout bound on one call (the breaker's own timeout; the client has the same bound)
   * @param maxFailures consecutive failures that open the circuit
   * @param resetTimeout how long the circuit stays open before one trial call (half-open)
   */
  public Breakers(Vertx vertx, Duration callTimeout, int maxFailures, Duration resetTimeout) {
    this.vertx = vertx;
    this.options =
        new CircuitBreakerOptions()
            .setTimeout(callTimeout.toMillis() + 250)
            .setMaxFailures(maxFailures)
            .setResetTimeout(resetTimeout.toMillis())
            .setFallbackOnFailure(false);
  }

  public CircuitBreaker of(String upstream) {
    return breakers.computeIfAbsent(upstream, this::create);
  }

  public Map<String, CircuitBreaker> all() {
    return Map.copyOf(breakers);
  }

  private CircuitBreaker create(String upstream) {
    CircuitBreaker b =
        CircuitBreaker.create("gateway-" + upstream, vertx, new CircuitBreakerOptions(options));
    GatewayMetrics.circuit(upstream, CircuitBreakerState.CLOSED);
    b.openHandler(
        v -> {
          log.warn("circuit to {} opened", upstream);
          GatewayMetrics.circuit(upstream, CircuitBreakerState.OPEN);
        });
    b.halfOpenHandler(
        v -> {
          log.info("circuit to {} half-open: trying one call", upstream);
          GatewayMetrics.circuit(upstream, CircuitBreakerState.HALF_OPEN);
        });
    b.closeHandler(
        v -> {
          log.info("circuit to {} closed", upstream);
          GatewayMetrics.circuit(upstream, CircuitBreakerState.CLOSED);
        });
    return b;
  }

  public void close() {
    breakers.values().forEach(CircuitBreaker::close);
  }
}
