package dev.tarifa.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads Prometheus text from a service's /metrics (the counters the load tests report on). */
public final class PrometheusText {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build(); // no h2c upgrade: JDK 17 can hang past its timeout on one

  private PrometheusText() {}

  /**
   * Sum of every series of {@code name} (all label sets) at {@code url}, or NaN when unreachable or
   * absent.
   */
  public static double sum(String url, String name) {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return sumOf(body, name, null);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /**
   * Like {@link #sum}, but 0 when the endpoint answers without the series (a counter not
   * incremented yet).
   */
  public static double sumOrZero(String url, String name) {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      double v = sumOf(body, name, null);
      return Double.isNaN(v) ? 0 : v;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  /**
   * Sum of the series of {@code name} whose labels contain {@code labelFilter} (e.g. {@code
   * result="hit_l1"}; null: all).
   */
  public static double sumOf(String prometheusText, String name, String labelFilter) {
    double total = 0;
    boolean found = false;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) continue;
      String rest = line.substring(name.length());
      if (!rest.startsWith("{") && !rest.startsWith(" "))
        continue; // another metric with this name as prefix
      if (labelFilter != null && !rest.contains(labelFilter)) continue;
      total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      found = true;
    }
    return found ? total : Double.NaN;
  }
}
