package dev.tarifa.gateway;

import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Manual measurement aid (not a test): fake services plus one gateway verticle on a random port,
 * printed on stdout; runs until killed. See docs/perf/gateway.md.
 */
public final class PerfHarnessMain {
  private PerfHarnessMain() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    GatewayHarness gw = new GatewayHarness(vertx).start(Map.of("TARIFA_CACHE_FLIGHTS_TTL", "1h"));
    System.out.println("PORT " + gw.port());
  }
}
