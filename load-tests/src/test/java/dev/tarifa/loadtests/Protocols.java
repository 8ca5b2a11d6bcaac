package dev.tarifa.loadtests;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;

/** The HTTP protocol every simulation uses. */
final class Protocols {
  private Protocols() {}

  static HttpProtocolBuilder http() {
    HttpProtocolBuilder p =
        http.baseUrl(Knobs.baseUrl())
            .acceptHeader("application/json")
            .userAgentHeader("tarifa-gatling")
            // Gatling's per-user HTTP cache would honour the searches' Cache-Control (max-age) and
            // ETag: a user that
            // repeats a search (AdminWritesSimulation's polls) would have it skipped ("served" from
            // its own cache, no
            // request, no check run) or revalidated into a 304. Every request must reach the
            // platform.
            .disableCaching();
    // Open-model users are short-lived (one search each); sharing a keep-alive pool keeps the load
    // generator
    // light on a 2-core machine and measures the server rather than TCP set-up.
    // -DshareConnections=false for
    // a connection per user (browser-like).
    return Boolean.parseBoolean(System.getProperty("shareConnections", "true"))
        ? p.shareConnections()
        : p;
  }
}
