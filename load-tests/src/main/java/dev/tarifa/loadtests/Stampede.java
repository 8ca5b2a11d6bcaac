package dev.tarifa.loadtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * One cold stampede, measured: opens N connections spread over the given gateways, then sends N identical
 * searches at the same instant (after a latch), and prints one line of {@code key=value} results: the X-Cache
 * outcomes, the latency of the requests that went to the origin (MISS) and of the waiters (COALESCED; their added
 * latency is measured against the fastest MISS), and the origin
 * calls the gateways counted ({@code tarifa_cache_origin_calls_total} deltas from their /metrics).
 *
 * <p>{@code Stampede N PATH GATEWAY_URL [GATEWAY_URL...]}
 */
public final class Stampede {
  private Stampede() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    String path = args[1];
    List<String> gateways = List.of(args).subList(2, args.length);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    double before = originCalls(gateways);
    // Warm the connections (and the JIT of the client) on a path that is not the stampede key.
    List<CompletableFuture<?>> warm = new ArrayList<>();
    for (int i = 0; i < Math.min(n, 64); i++) {
      warm.add(client.sendAsync(HttpRequest.newBuilder(URI.create(gateways.get(i % gateways.size()) + "/health/live")).build(),
        HttpResponse.BodyHandlers.discarding()).exceptionally(e -> null)); // a closed keep-alive is no reason to stop
    }
    CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();

    CountDownLatch go = new CountDownLatch(1);
    long[] latencyNanos = new long[n];
    String[] outcome = new String[n];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      HttpRequest req = HttpRequest.newBuilder(URI.create(gateways.get(i % gateways.size()) + path)).timeout(Duration.ofSeconds(30)).build();
      Thread t = new Thread(() -> {
        try {
          go.await();
          long t0 = System.nanoTime();
          HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
          latencyNanos[k] = System.nanoTime() - t0;
          outcome[k] = r.statusCode() == 200 ? r.headers().firstValue("X-Cache").orElse("none") : "status-" + r.statusCode();
        } catch (Exception e) {
          outcome[k] = "error";
        }
      });
      t.start();
      threads.add(t);
    }
    Thread.sleep(200); // every thread parked on the latch
    go.countDown();
    for (Thread t : threads) t.join();
    Thread.sleep(200); // let the counters settle
    double after = originCalls(gateways);

    Map<String, Integer> counts = new TreeMap<>();
    List<Long> missMs = new ArrayList<>(), waiterMs = new ArrayList<>(), allMs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      counts.merge(outcome[i], 1, Integer::sum);
      long ms = latencyNanos[i] / 1_000_000;
      allMs.add(ms);
      if ("MISS".equals(outcome[i])) missMs.add(ms);
      else if ("COALESCED".equals(outcome[i])) waiterMs.add(ms); // HIT-L1: arrived after the fill, waited for nothing
    }
    Collections.sort(missMs);
    Collections.sort(waiterMs);
    Collections.sort(allMs);
    long leader = missMs.isEmpty() ? -1 : missMs.get(0);
    System.out.printf("n=%d gateways=%d outcomes=%s originCalls=%s missMs=%s waiterP50Ms=%d waiterP95Ms=%d waiterMaxMs=%d"
        + " waiterAddedP50Ms=%d waiterAddedP95Ms=%d allP99Ms=%d%n",
      n, gateways.size(), counts.toString().replaceAll("[{} ]", "").replace('=', ':'),
      Double.isNaN(after - before) ? "n/a" : String.valueOf((long) (after - before)),
      missMs.toString().replaceAll("[\\[\\] ]", ""), pct(waiterMs, 50), pct(waiterMs, 95), pct(waiterMs, 100),
      leader < 0 ? -1 : pct(waiterMs, 50) - leader, leader < 0 ? -1 : pct(waiterMs, 95) - leader, pct(allMs, 99));
  }

  private static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return -1;
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  private static double originCalls(List<String> gateways) {
    double sum = 0;
    for (String g : gateways) sum += PrometheusText.sumOrZero(g + "/metrics", "tarifa_cache_origin_calls_total");
    return sum;
  }
}
