package dev.tarifa.loadtests;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One cold stampede, measured with as little client noise as possible: a Vert.x HTTP client on a
 * single event loop, one keep-alive connection per request (opened and warmed beforehand with
 * rounds of {@code /health/live}, or of {@code -Dstampede.warmPath}, best a cached answer of the
 * stampede's size, on every connection), then N identical searches written in one tight loop on
 * that event loop (round-robin over the given gateways). For each request it records {@link
 * System#nanoTime()} just before the write and when the whole body has arrived, the status and the
 * X-Cache header, and prints one line of {@code key=value} results: the X-Cache outcomes, the
 * latency of the requests that went to the origin (MISS) and of the waiters (COALESCED), the
 * waiters' added latency (their completion instant minus the completion instant of the leader, the
 * first MISS to complete: all requests left at the same instant, so durations are not compared;
 * negative when a waiter completed before the leader) and the origin calls the gateways counted
 * ({@code tarifa_cache_origin_calls_total} deltas from their /metrics, read after the warm-up).
 * Also, from the gateways' own clocks, the waiters' {@code Server-Timing} durations (the delay
 * between the shared answer being ready in that gateway and the waiter's response being written:
 * what coalescing added on the server, free of the client's and the network's share) and the
 * burst's spread (every completion after the first: run against the bound server, the floor of
 * answering N requests at once on this machine). Latencies in ms with 2 decimals; a figure that
 * does not exist in a run (no MISS, no waiter) is {@code n/a}. Diagnostics (connections, send
 * spread) go to stderr.
 *
 * <p>{@code Stampede N PATH GATEWAY_URL [GATEWAY_URL...]}; {@code -Dstampede.warmRounds=R}
 * (default: at least 5, and at least 3,000 warm-up requests in all); {@code -Dstampede.debug=true}
 * prints the gaps between the writes.
 */
public final class Stampede {
  private static final long REQUEST_TIMEOUT_MS = 30_000;
  private static final long CONNECT_TIMEOUT_MS = 5_000;

  /**
   * Warm-up requests in all, at least: enough for the JIT to compile the client's send path (C2).
   */
  private static final int WARM_REQUESTS = 3_000;

  private Stampede() {}

  /** One request of a round; touched only on the event loop until the round's future completes. */
  private static final class Shot {
    final String url;
    HttpClientRequest req;
    HttpConnection conn;
    long sentNanos;
    long doneNanos;
    int status;
    String xCache;
    double serverMs =
        Double
            .NaN; // Server-Timing dur: the gateway's delay between the shared answer and this write
    String outcome; // null until the request is over
    boolean timedOut;

    Shot(String url) {
      this.url = url;
    }

    boolean answered() {
      return status > 0
          && doneNanos > 0
          && outcome != null
          && !"error".equals(outcome)
          && !"timeout".equals(outcome);
    }

    double latencyMs() {
      return (doneNanos - sentNanos) / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: Stampede N PATH GATEWAY_URL [GATEWAY_URL...]");
      System.exit(2);
    }
    int n = Integer.parseInt(args[0]);
    String path = args[1];
    List<String> gateways = List.of(args).subList(2, args.length);
    if (n < 1) {
      System.err.println("Stampede: N must be at least 1");
      System.exit(2);
    }

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      // One connection per request, kept alive between the warm-up and the stampede; no pipelining
      // (each
      // connection carries one request at a time), so N requests in flight are N connections.
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setKeepAlive(true)
                  .setKeepAliveTimeout(300)
                  .setPipelining(false)
                  .setTcpNoDelay(true)
                  .setConnectTimeout((int) CONNECT_TIMEOUT_MS),
              new PoolOptions().setHttp1MaxSize(n).setMaxWaitQueueSize(-1));
      Context ctx = vertx.getOrCreateContext();
      int warmRounds =
          Integer.getInteger("stampede.warmRounds", Math.max(5, (WARM_REQUESTS + n - 1) / n));
      // Warm-up: the same round-robin as the stampede on /health/live, all at once, so the pool
      // opens the
      // connections the stampede will use, then a few more rounds on them (client JIT, server-side
      // buffers).
      Set<HttpConnection> warmConns = Collections.newSetFromMap(new IdentityHashMap<>());
      int warmFailures = 0;
      for (int r = 0; r < warmRounds; r++) {
        Shot[] warm =
            await(
                fire(
                    vertx,
                    ctx,
                    client,
                    urls(gateways, System.getProperty("stampede.warmPath", "/health/live"), n)));
        warmConns.clear();
        for (Shot s : warm) {
          if (s.conn != null) warmConns.add(s.conn);
          if (!s.answered()) warmFailures++; // a closed keep-alive is no reason to stop
        }
      }

      // Read after the warm-up: a warm-up on a cached search can refresh it
      // (stale-while-revalidate), and that
      // origin call is not the stampede's.
      Thread.sleep(200);
      double before = originCalls(gateways);
      Shot[] shots = await(fire(vertx, ctx, client, urls(gateways, path, n)));
      Thread.sleep(200); // let the counters settle
      double after = originCalls(gateways);

      Set<HttpConnection> conns = Collections.newSetFromMap(new IdentityHashMap<>());
      int fresh = 0;
      long firstSent = Long.MAX_VALUE, lastSent = Long.MIN_VALUE;
      for (Shot s : shots) {
        if (s.conn != null && conns.add(s.conn) && !warmConns.contains(s.conn)) fresh++;
        if (s.sentNanos != 0) {
          firstSent = Math.min(firstSent, s.sentNanos);
          lastSent = Math.max(lastSent, s.sentNanos);
        }
      }
      System.err.printf(
          Locale.ROOT,
          "stampede: warm-up %d rounds on %d connections (%d failed requests); %d requests on"
              + " %d connections (%d opened after the warm-up), written within %s ms%n",
          warmRounds,
          warmConns.size(),
          warmFailures,
          n,
          conns.size(),
          fresh,
          firstSent == Long.MAX_VALUE ? "n/a" : ms((lastSent - firstSent) / 1e6));

      if (Boolean.getBoolean("stampede.debug")) {
        long firstDone = Long.MAX_VALUE;
        for (Shot s : shots) if (s.doneNanos != 0) firstDone = Math.min(firstDone, s.doneNanos);
        StringBuilder done = new StringBuilder("stampede: completions after the first, ms:");
        for (Shot s : shots) {
          if (s.doneNanos != 0)
            done.append(' ')
                .append(s.outcome)
                .append('@')
                .append(ms((s.doneNanos - firstDone) / 1e6));
        }
        System.err.println(done);
      }
      System.out.println(report(n, gateways.size(), shots, before, after));
      System.out.flush();
      await(client.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> urls(List<String> gateways, String path, int n) {
    List<String> urls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) urls.add(gateways.get(i % gateways.size()) + path);
    return urls;
  }

  /**
   * One round on the event loop: first a request (hence a pooled connection) for every URL, then
   * every request written in one loop, each with its send instant; completes when every response
   * body has arrived, failed or timed out.
   */
  private static Future<Shot[]> fire(
      Vertx vertx, Context ctx, HttpClient client, List<String> urls) {
    Promise<Shot[]> done = Promise.promise();
    ctx.runOnContext(
        v -> {
          Shot[] shots = new Shot[urls.size()];
          List<Future<HttpClientRequest>> acquired = new ArrayList<>(shots.length);
          for (int i = 0; i < shots.length; i++) {
            Shot s = shots[i] = new Shot(urls.get(i));
            acquired.add(
                client
                    .request(
                        new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setAbsoluteURI(s.url)
                            .setConnectTimeout(CONNECT_TIMEOUT_MS))
                    .onSuccess(
                        req -> {
                          s.req = req;
                          s.conn = req.connection();
                        })
                    .onFailure(e -> s.outcome = "error"));
          }
          Future.join(acquired).onComplete(ignored -> sendAll(vertx, shots, done));
        });
    return done.future();
  }

  private static void sendAll(Vertx vertx, Shot[] shots, Promise<Shot[]> done) {
    List<Future<?>> bodies = new ArrayList<>(shots.length);
    // The tight loop: nothing but the timestamp and the write per request.
    for (Shot s : shots) {
      if (s.req == null) continue;
      s.sentNanos = System.nanoTime();
      bodies.add(
          s.req
              .send()
              .compose(
                  resp -> {
                    s.status = resp.statusCode();
                    s.xCache = resp.getHeader("X-Cache");
                    s.serverMs = serverTiming(resp.getHeader("Server-Timing"));
                    // the body is streamed and dropped, not aggregated: the client's cost per
                    // response stays small, so a
                    // burst's completion instants show the server, not the client's copying
                    resp.handler(chunk -> {});
                    return resp.end();
                  })
              .andThen(
                  ar -> {
                    s.doneNanos = System.nanoTime();
                    if (ar.failed()) s.outcome = s.timedOut ? "timeout" : "error";
                    else
                      s.outcome =
                          s.status == 200
                              ? (s.xCache == null ? "none" : s.xCache)
                              : "status-" + s.status;
                  }));
    }
    // All were written at the same instant: one deadline is each request's 30 s timeout.
    long timer =
        vertx.setTimer(
            REQUEST_TIMEOUT_MS,
            id -> {
              for (Shot s : shots) {
                if (s.req != null && s.outcome == null) {
                  s.timedOut = true;
                  s.req.reset();
                }
              }
            });
    if (Boolean.getBoolean("stampede.debug")) {
      StringBuilder gaps = new StringBuilder("stampede: µs between writes:");
      long prev = 0;
      for (Shot s : shots) {
        if (s.sentNanos == 0) continue;
        if (prev != 0) gaps.append(' ').append((s.sentNanos - prev) / 1000);
        prev = s.sentNanos;
      }
      System.err.println(gaps);
    }
    Future.join(bodies)
        .onComplete(
            ignored -> {
              vertx.cancelTimer(timer);
              done.complete(shots);
            });
  }

  private static String report(int n, int gatewayCount, Shot[] shots, double before, double after) {
    Map<String, Integer> counts = new TreeMap<>();
    List<Shot> misses = new ArrayList<>();
    List<Shot> waiters = new ArrayList<>();
    List<Double> allMs = new ArrayList<>();
    for (Shot s : shots) {
      counts.merge(s.outcome == null ? "error" : s.outcome, 1, Integer::sum);
      if (!s.answered()) continue;
      allMs.add(s.latencyMs());
      if ("MISS".equals(s.outcome)) misses.add(s);
      else if ("COALESCED".equals(s.outcome))
        waiters.add(s); // HIT-L1: arrived after the fill, waited for nothing
    }
    Shot leader = null;
    for (Shot s : misses) if (leader == null || s.doneNanos < leader.doneNanos) leader = s;
    List<Double> missMs =
        misses.stream().map(Shot::latencyMs).sorted().collect(Collectors.toList());
    List<Double> waiterMs =
        waiters.stream().map(Shot::latencyMs).sorted().collect(Collectors.toList());
    List<Double> addedMs = new ArrayList<>();
    if (leader != null) for (Shot s : waiters) addedMs.add((s.doneNanos - leader.doneNanos) / 1e6);
    Collections.sort(addedMs);
    Collections.sort(allMs);
    // the burst's own spread: every answer's completion instant after the first one (the floor for
    // any server that
    // has to write this many answers at once on this machine; run against the bound server for the
    // baseline)
    long firstDone = Long.MAX_VALUE;
    for (Shot s : shots) if (s.answered()) firstDone = Math.min(firstDone, s.doneNanos);
    List<Double> spreadMs = new ArrayList<>();
    for (Shot s : shots) if (s.answered()) spreadMs.add((s.doneNanos - firstDone) / 1e6);
    Collections.sort(spreadMs);
    List<Double> serverMs = new ArrayList<>();
    for (Shot s : waiters) if (!Double.isNaN(s.serverMs)) serverMs.add(s.serverMs);
    Collections.sort(serverMs);
    return String.format(
        Locale.ROOT,
        "n=%d gateways=%d outcomes=%s originCalls=%s missMs=%s leaderMs=%s waiterP50Ms=%s"
            + " waiterP95Ms=%s waiterMaxMs=%s waiterAddedP50Ms=%s waiterAddedP95Ms=%s waiterAddedP99Ms=%s allP99Ms=%s spreadP99Ms=%s"
            + " waiterServerP50Ms=%s waiterServerP95Ms=%s waiterServerP99Ms=%s",
        n,
        gatewayCount,
        counts.toString().replaceAll("[{} ]", "").replace('=', ':'),
        Double.isNaN(after - before) ? "n/a" : String.valueOf((long) (after - before)),
        missMs.stream().map(Stampede::ms).collect(Collectors.joining(",")),
        leader == null ? "n/a" : ms(leader.latencyMs()),
        pct(waiterMs, 50),
        pct(waiterMs, 95),
        pct(waiterMs, 100),
        pct(addedMs, 50),
        pct(addedMs, 95),
        pct(addedMs, 99),
        pct(allMs, 99),
        pct(spreadMs, 99),
        pct(serverMs, 50),
        pct(serverMs, 95),
        pct(serverMs, 99));
  }

  /** The {@code dur} of {@code cache;desc="...";dur=1.234}, or NaN. */
  static double serverTiming(String header) {
    if (header == null) return Double.NaN;
    int i = header.indexOf("dur=");
    if (i < 0) return Double.NaN;
    int end = i + 4;
    while (end < header.length()
        && (Character.isDigit(header.charAt(end)) || header.charAt(end) == '.')) end++;
    try {
      return Double.parseDouble(header.substring(i + 4, end));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Nearest-rank percentile, 2 decimals; n/a for an empty list. */
  private static String pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) return "n/a";
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return ms(sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))));
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage()
        .toCompletableFuture()
        .get(REQUEST_TIMEOUT_MS + 30_000, TimeUnit.MILLISECONDS);
  }

  private static double originCalls(List<String> gateways) {
    double sum = 0;
    for (String g : gateways)
      sum += PrometheusText.sumOrZero(g + "/metrics", "tarifa_cache_origin_calls_total");
    return sum;
  }
}
