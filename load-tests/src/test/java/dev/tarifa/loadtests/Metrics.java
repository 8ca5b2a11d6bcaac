package dev.tarifa.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads Prometheus text from a service's /metrics (the counters the simulations report on). */
final class Metrics {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Metrics() {}

  /** Sum of every series of {@code name} (all label sets), or NaN when unreachable or absent. */
  static double sum(String url, String name) {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
      return sumOf(body, name);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  static double sumOf(String prometheusText, String name) {
    double total = 0;
    boolean found = false;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) continue;
      String rest = line.substring(name.length());
      if (!rest.startsWith("{") && !rest.startsWith(" ")) continue; // another metric with this prefix
      int sp = line.lastIndexOf(' ');
      total += Double.parseDouble(line.substring(sp + 1));
      found = true;
    }
    return found ? total : Double.NaN;
  }
}
