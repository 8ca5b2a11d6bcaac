package dev.tarifa.loadtests.faults;

import dev.tarifa.loadtests.QueryMix;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The campaign's traffic: a Zipf search mix ({@link QueryMix}) at a fixed arrival rate (open model)
 * spread round-robin over the gateways in rotation, as a load balancer would (a request whose
 * connection fails is retried once on the other replica, as a load balancer retries an idempotent
 * GET), and every answer recorded.
 */
final class Load {
  /**
   * One answered (or failed) search. status 0: no HTTP answer (connection refused/reset, timeout).
   */
  record Sample(
      long startMs,
      int latencyMs,
      int status,
      QueryMix.Kind kind,
      int gateway,
      String xCache,
      boolean degraded,
      boolean problem,
      boolean empty,
      Ok okBefore,
      String failedLegs,
      String path) {
    /** Whether the key had a plain 200 before this request was sent. */
    boolean cachedBefore() {
      return okBefore != null;
    }
  }

  /** An HTTP answer. status 0: none (error names the cause). */
  record Resp(int status, MultiMap headers, String body, String error, long latencyMs) {
    String header(String name) {
      return headers == null ? null : headers.get(name);
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static final long IDLE_TIMEOUT_MS = 10_000;

  /**
   * Bound of a whole exchange, pool wait included: the client's idle timeout only starts once a
   * connection is held, so without it a request waiting for a pooled connection could wait forever
   * (and stall the campaign's set-up reads, which once aborted a run after 60 s).
   */
  private static final long ANSWER_BOUND_MS = 20_000;

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final List<String> gateways;
  private final boolean[] inRotation;
  private final QueryMix mix;
  private final double rate;
  private final long t0;
  private final SplittableRandom random = new SplittableRandom(7);
  private final List<Sample> samples = new ArrayList<>();

  /**
   * Search path → when it was last answered 200, with results, not degraded (a key that is cached
   * from then on).
   */
  /** Per path, the latest 200 that was neither degraded nor empty: when, on which gateway, how. */
  private final Map<String, Ok> okAt = new ConcurrentHashMap<>();

  record Ok(long atMs, int gateway, String xCache) {}

  private final AtomicLong turn = new AtomicLong();
  private volatile long timer = -1;
  private long started;
  private long sent;

  Load(Vertx vertx, List<String> gateways, QueryMix mix, double rate, long t0) {
    this.vertx = vertx;
    this.gateways = gateways;
    this.inRotation = new boolean[gateways.size()];
    java.util.Arrays.fill(inRotation, true);
    this.mix = mix;
    this.rate = rate;
    this.t0 = t0;
    this.context = vertx.getOrCreateContext();
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000).setIdleTimeout(30),
            new PoolOptions().setHttp1MaxSize(96).setMaxWaitQueueSize(-1));
  }

  long now() {
    return System.currentTimeMillis() - t0;
  }

  synchronized void rotation(int gateway, boolean in) {
    inRotation[gateway] = in;
  }

  /** Starts the open-model arrivals: every 10 ms, as many searches as are due since the start. */
  void start() {
    context.runOnContext(v -> startArrivals());
  }

  private void startArrivals() {
    started = System.nanoTime();
    timer =
        vertx.setPeriodic(
            10,
            t -> {
              long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
              while (sent < due) {
                sent++;
                fire();
              }
            });
  }

  void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  private QueryMix.Kind pickKind() {
    double x = random.nextDouble();
    return x < 0.55
        ? QueryMix.Kind.FLIGHT
        : x < 0.75 ? QueryMix.Kind.HOTEL : x < 0.90 ? QueryMix.Kind.CAR : QueryMix.Kind.TRIP;
  }

  private void fire() {
    QueryMix.Query q = mix.next(pickKind());
    int gw = nextGateway(-1);
    long start = now();
    Ok okBefore = okAt.get(q.path());
    get(gw, q.path())
        .compose(
            r ->
                r.status == 0
                    ? retry(gw, q.path(), r)
                    : Future.succeededFuture(new Object[] {gw, r}))
        .onSuccess(pair -> record(q, (int) pair[0], (Resp) pair[1], start, okBefore));
  }

  private Future<Object[]> retry(int failedGw, String path, Resp failed) {
    int other = nextGateway(failedGw);
    if (other == failedGw) return Future.succeededFuture(new Object[] {failedGw, failed});
    return get(other, path).map(r -> new Object[] {other, r});
  }

  private synchronized int nextGateway(int not) {
    for (int i = 0; i < gateways.size(); i++) {
      int g = (int) (turn.getAndIncrement() % gateways.size());
      if (inRotation[g] && g != not) return g;
    }
    return not >= 0 ? not : 0;
  }

  private void record(QueryMix.Query q, int gw, Resp r, long start, Ok okBefore) {
    String ct = r.header("Content-Type");
    boolean problem = ct != null && ct.startsWith("application/problem+json");
    boolean degraded = "true".equalsIgnoreCase(r.header("X-Degraded"));
    boolean empty = r.status == 200 && r.body != null && r.body.contains("\"results\":[]");
    String failedLegs = null;
    if (q.kind() == QueryMix.Kind.TRIP && r.status == 200) {
      try {
        JsonArray legs = r.json().getJsonArray("failedLegs");
        failedLegs =
            legs == null ? "" : String.join(",", legs.stream().map(String::valueOf).toList());
      } catch (RuntimeException e) {
        failedLegs = "?";
      }
    }
    if (r.status == 200 && !degraded && !empty)
      okAt.put(q.path(), new Ok(start, gw, r.header("X-Cache")));
    Sample s =
        new Sample(
            start,
            (int) (now() - start),
            r.status,
            q.kind(),
            gw,
            r.header("X-Cache"),
            degraded,
            problem,
            empty,
            okBefore,
            failedLegs,
            q.path());
    synchronized (samples) {
      samples.add(s);
    }
  }

  /** The samples started in [fromMs, toMs). */
  List<Sample> window(long fromMs, long toMs) {
    List<Sample> out = new ArrayList<>();
    synchronized (samples) {
      for (Sample s : samples) if (s.startMs() >= fromMs && s.startMs() < toMs) out.add(s);
    }
    return out;
  }

  List<Sample> all() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  String base(int gateway) {
    return gateways.get(gateway);
  }

  Future<Resp> get(int gateway, String path) {
    return send(HttpMethod.GET, gateways.get(gateway) + path, Map.of(), null);
  }

  /**
   * One request; never fails and always completes within {@link #ANSWER_BOUND_MS}: a transport
   * error or no answer in time is an answer with status 0. Callers on other threads (the campaign's
   * timeline) are moved onto the load's own context, so every exchange runs on one event loop.
   */
  Future<Resp> send(HttpMethod method, String url, Map<String, String> headers, String body) {
    Promise<Resp> answer = Promise.promise();
    long t = System.nanoTime();
    context.runOnContext(
        v -> {
          long bound =
              vertx.setTimer(
                  ANSWER_BOUND_MS,
                  id ->
                      answer.tryComplete(
                          new Resp(
                              0,
                              null,
                              null,
                              "no answer within " + ANSWER_BOUND_MS + " ms",
                              (System.nanoTime() - t) / 1_000_000)));
          exchange(method, url, headers, body, t)
              .onComplete(
                  ar -> {
                    vertx.cancelTimer(bound);
                    answer.tryComplete(ar.result());
                  });
        });
    return answer.future();
  }

  private Future<Resp> exchange(
      HttpMethod method, String url, Map<String, String> headers, String body, long t) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(url)
            .setConnectTimeout(IDLE_TIMEOUT_MS)
            .setIdleTimeout(IDLE_TIMEOUT_MS);
    headers.forEach(options::putHeader);
    return http.request(options)
        .compose(
            req ->
                body == null
                    ? req.send()
                    : req.putHeader("Content-Type", "application/json").send(Buffer.buffer(body)))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b ->
                            new Resp(
                                resp.statusCode(),
                                resp.headers(),
                                b.toString(),
                                null,
                                (System.nanoTime() - t) / 1_000_000)))
        .recover(
            e ->
                Future.succeededFuture(
                    new Resp(0, null, null, e.toString(), (System.nanoTime() - t) / 1_000_000)));
  }
}
