package dev.tarifa.loadtests;

import com.sun.tools.attach.VirtualMachine;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The soak: drives a steady mix against a gateway for {@code -Dminutes} and, every minute, samples
 * each platform process (RSS, heap after a forced full GC, open descriptors, threads, its TCP
 * connections to PostgreSQL, Redis and RabbitMQ, the latency of its liveness probe as the
 * event-loop delay bound), the soak databases' sessions in pg_stat_activity and the Redis clients
 * on the soak's database index. Writes {@code soak.csv} (one row per process and minute) and {@code
 * table.md}, judges the second half and exits 1 on failure.
 *
 * <p>Arguments: {@code outDir gatewayUrl name=pid[=url]...} (a process without a URL has no /health
 * probe). System properties: {@code minutes} (60: the judged minutes, after the warm-up), {@code
 * warmup} (3: minutes during which the arrival rate ramps linearly from a tenth of {@code rate} to
 * all of it; sampled and reported, not judged: a cold JVM on a busy machine is not what a soak
 * looks for), {@code rate} (mix requests/s, 25), {@code adminEmail}, {@code adminPassword}, {@code
 * catalogueSize} (small), {@code pgDbPrefix} (soak_), {@code redisDb} (11), {@code judged}
 * (comma-separated process names whose series are judged; default every process with a URL).
 *
 * <p>Blocking work (jcmd, psql, ss, /proc) runs on the sampler thread, never on the client's event
 * loop.
 */
public final class Soak {
  /** Pass thresholds: see docs/RELIABILITY.md, "Soak". */
  static final double MEMORY_SLOPE_PCT = 5.0, MEMORY_LAST_PCT = 5.0;

  static final double COUNT_SLOPE_PCT = 10.0, COUNT_SLACK_ABS = 2.0;

  record Proc(String name, long pid, String url) {}

  record Resp(int status, MultiMap headers, Buffer body) {}

  /** Per-minute driver figures, reset by the sampler. */
  static final class Window {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong degraded = new AtomicLong();
    final List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    final Map<String, List<Long>> probeMs = new ConcurrentHashMap<>();
  }

  // The driver's own start-up (class loading on a busy machine) must not fill its log with
  // blocked-thread traces.
  private final Vertx vertx =
      Vertx.builder()
          .with(
              new VertxOptions()
                  .setMaxEventLoopExecuteTime(60)
                  .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS))
          .build();
  private final HttpClient http;
  private final String gateway;
  private final List<Proc> procs;
  private final Path out;
  private final SplittableRandom random = new SplittableRandom(7);
  private final QueryMix mix;
  private volatile Window window = new Window();
  private final AtomicLong totalErrors = new AtomicLong();
  private final AtomicInteger printedErrors = new AtomicInteger();
  private final List<String> hotelIds = new CopyOnWriteArrayList<>();
  private final List<Map<String, String>> fareTargets = new CopyOnWriteArrayList<>();

  /**
   * Registered users: {email, password, token (null until logged in), when the token was asked for
   * (epoch ms)}.
   */
  private final List<String[]> users = new CopyOnWriteArrayList<>();

  private final Map<String, AtomicInteger> reviewed = new ConcurrentHashMap<>();
  private volatile String adminToken;
  private final java.util.concurrent.atomic.AtomicBoolean adminInFlight =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
  private final AtomicInteger userSeq = new AtomicInteger();

  Soak(Path out, String gateway, List<Proc> procs) {
    this.out = out;
    this.gateway = gateway;
    this.procs = procs;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
            new PoolOptions().setHttp1MaxSize(64));
    this.mix =
        new QueryMix(
            11,
            LocalDate.now(ZoneOffset.UTC),
            dev.tarifa.shared.pricing.CatalogueSize.valueOf(
                System.getProperty("catalogueSize", "small").toUpperCase()));
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("report")) {
      // Judge a run again from its soak.csv (e.g. one cut short): Soak report <outDir>.
      System.exit(reportFromCsv(Path.of(args[1])));
    }
    if (args.length < 3) {
      System.err.println("usage: Soak outDir gatewayUrl name=pid[=url]... | Soak report outDir");
      System.exit(2);
    }
    List<Proc> procs = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      String[] p = args[i].split("=", 3);
      procs.add(new Proc(p[0], Long.parseLong(p[1]), p.length > 2 ? p[2] : null));
    }
    Soak soak = new Soak(Path.of(args[0]), args[1], procs);
    int rc;
    try {
      rc =
          soak.run(
              Integer.getInteger("warmup", 3),
              Integer.getInteger("minutes", 60),
              Double.parseDouble(System.getProperty("rate", "25")));
    } catch (Exception e) {
      System.err.println("soak: failed: " + e);
      rc = 2;
    }
    System.exit(rc);
  }

  int run(int warmup, int minutes, double rate) throws Exception {
    setUp();
    List<Map<String, String>> rows = new ArrayList<>();
    long start = System.nanoTime();
    // Every request is started on the client's event loop at the arrival rate (open model): a 10 ms
    // tick starts the requests due by then, ramping up over the warm-up.
    long[] started = {0};
    vertx.setPeriodic(
        10,
        t -> {
          long due = (long) arrivalsDue((System.nanoTime() - start) / 1e9, warmup * 60.0, rate);
          while (started[0] < due) {
            started[0]++;
            oneRequest();
          }
        });
    vertx.setPeriodic(5_000, t -> adminWrite());
    vertx.setPeriodic(30_000, t -> login());
    vertx.setPeriodic(300_000, t -> adminLogin());
    vertx.setPeriodic(300_000, t -> register());
    vertx.setPeriodic(500, t -> probes());
    try (PrintWriter csv =
        new PrintWriter(Files.newBufferedWriter(out.resolve("soak.csv"), StandardCharsets.UTF_8))) {
      csv.println(String.join(",", COLUMNS));
      for (int minute = 1; minute <= warmup + minutes; minute++) {
        long due = start + TimeUnit.MINUTES.toNanos(minute);
        long wait;
        while ((wait = due - System.nanoTime()) > 0)
          TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000_000L));
        Window w = window;
        window = new Window();
        if (minute == warmup) totalErrors.set(0); // the warm-up's errors are reported, not judged
        List<Map<String, String>> sample = sample(minute, w);
        for (Map<String, String> row : sample) csv.println(String.join(",", row.values()));
        csv.flush();
        rows.addAll(sample);
        Map<String, String> gw = sample.get(0);
        System.err.printf(
            "soak: minute %d: %s requests, %s errors, p99 %s ms; %s%n",
            minute, gw.get("requests"), gw.get("errors"), gw.get("p99_ms"), summary(sample));
      }
    }
    vertx.close().await();
    return report(rows, warmup, warmup + minutes);
  }

  /**
   * Requests due {@code t} seconds after the start: the rate ramps linearly from a tenth to all of
   * {@code rate} over {@code warmupS} seconds, then stays.
   */
  static double arrivalsDue(double t, double warmupS, double rate) {
    if (warmupS <= 0) return t * rate;
    if (t <= warmupS) return rate * (0.1 * t + 0.45 * t * t / warmupS);
    return rate * (0.55 * warmupS + (t - warmupS));
  }

  // ---------------------------------------------------------------- load

  private void setUp() throws Exception {
    String email = System.getProperty("adminEmail", "admin@tarifa.local");
    String password = System.getProperty("adminPassword", "");
    // Set-up requests are retried (bounded): on a busy machine the first PBKDF2 login can outlast a
    // timeout.
    Resp login =
        retry(
            () ->
                send(
                    HttpMethod.POST,
                    "/api/v1/auth/login",
                    null,
                    new JsonObject().put("email", email).put("password", password)));
    adminToken = login.body().toJsonObject().getString("token");
    // Fare targets as AdminWritesSimulation finds them: a nonstop itinerary shown on a popular
    // route's search.
    LocalDate date = mix.baseDate().plusDays(14);
    for (String[] route : mix.popularRoutes(12)) {
      if (fareTargets.size() >= 4) break;
      String search =
          "/api/v1/flights/search?from="
              + route[0]
              + "&to="
              + route[1]
              + "&date="
              + date
              + "&adults=1";
      JsonArray results =
          get(search, null).body().toJsonObject().getJsonArray("results", new JsonArray());
      for (int i = 0; i < Math.min(10, results.size()); i++) {
        JsonObject it = results.getJsonObject(i);
        if (it.getInteger("stops", -1) != 0 || it.getJsonArray("offers", new JsonArray()).isEmpty())
          continue;
        String flight = it.getJsonArray("legs").getJsonObject(0).getString("flight");
        String provider =
            it.getJsonArray("offers").getJsonObject(0).getJsonObject("provider").getString("code");
        JsonArray schedules =
            get("/admin/v1/flights?from=" + route[0] + "&to=" + route[1], adminToken)
                .body()
                .toJsonObject()
                .getJsonArray("results", new JsonArray());
        for (int j = 0; j < schedules.size(); j++) {
          if (flight.equals(schedules.getJsonObject(j).getString("flight"))) {
            fareTargets.add(
                Map.of(
                    "farePath",
                    "/admin/v1/flights/"
                        + schedules.getJsonObject(j).getLong("id")
                        + "/fares/economy/"
                        + provider));
            break;
          }
        }
        break;
      }
    }
    if (fareTargets.isEmpty())
      throw new IllegalStateException("no fare target found on the popular routes");
    for (int i = 0; i < 5 && hotelIds.size() < 50; i++) harvest(get(mix.hotel().path(), null));
    if (hotelIds.isEmpty()) throw new IllegalStateException("no hotel found by the hotel searches");
    register();
    System.err.printf(
        "soak: set up: %d fare targets, %d hotels to review%n",
        fareTargets.size(), hotelIds.size());
  }

  private Resp get(String path, String token) throws Exception {
    return retry(() -> send(HttpMethod.GET, path, token, null));
  }

  /** Up to 5 attempts until a 2xx. */
  private static Resp retry(java.util.function.Supplier<Future<Resp>> call) throws Exception {
    String last = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        Resp r = call.get().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (r.status() / 100 == 2) return r;
        last = r.status() + " " + r.body();
      } catch (Exception e) {
        last = e.toString();
      }
      System.err.println("soak: set-up request failed (attempt " + attempt + "): " + last);
      Thread.sleep(2000L * attempt);
    }
    throw new IllegalStateException("set-up request failed 5 times: " + last);
  }

  private void oneRequest() {
    int p = random.nextInt(100);
    if (p < 40) expect("flight", HttpMethod.GET, mix.flight().path(), null, null, 200);
    else if (p < 55)
      expect("hotel", HttpMethod.GET, mix.hotel().path(), null, null, 200).onSuccess(this::harvest);
    else if (p < 65) expect("car", HttpMethod.GET, mix.car().path(), null, null, 200);
    else if (p < 75) expect("trip", HttpMethod.GET, mix.trip().path(), null, null, 200);
    else if (p < 85 && !hotelIds.isEmpty()) {
      expect(
          "review read",
          HttpMethod.GET,
          "/api/v1/reviews?subject=hotel:" + pick(hotelIds),
          null,
          null,
          200);
    } else if (p < 90)
      expect(
          "airport",
          HttpMethod.GET,
          "/api/v1/airports/" + pick(mix.airportsByRank().subList(0, 40)),
          null,
          null,
          200);
    else if (p < 95) me();
    else review();
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /**
   * A user whose token is younger than {@link #TOKEN_USE_MS}: tokens live 15 minutes and the driver
   * must never send an expired one (the first hour-long run did, from minute 51 on: 401s of the
   * driver, not of the platform).
   */
  private String[] loggedInUser() {
    long now = System.currentTimeMillis();
    List<String[]> ready =
        users.stream()
            .filter(u -> u[2] != null && now - Long.parseLong(u[3]) < TOKEN_USE_MS)
            .toList();
    return ready.isEmpty() ? null : pick(ready);
  }

  private void me() {
    String[] u = loggedInUser();
    if (u != null) expect("me", HttpMethod.GET, "/api/v1/me", u[2], null, 200);
  }

  /**
   * Each user reviews hotels in turn (one review per subject and user), so every write is a 201.
   */
  private void review() {
    String[] u = loggedInUser();
    if (u == null) return;
    int n = reviewed.computeIfAbsent(u[0], k -> new AtomicInteger()).getAndIncrement();
    if (n >= hotelIds.size()) return; // this user has reviewed every hotel known so far
    JsonObject body =
        new JsonObject()
            .put("subject", "hotel:" + hotelIds.get(n))
            .put("rating", 1 + n % 5)
            .put("title", "Soak review " + n)
            .put("text", "Written by the soak run " + runId + ".");
    expect("review write", HttpMethod.POST, "/api/v1/reviews", u[2], body, 201);
  }

  private void register() {
    String email = "soak-" + runId + "-" + userSeq.incrementAndGet() + "@example.org";
    String password = "soak-password-" + runId;
    expect(
            "register",
            HttpMethod.POST,
            "/api/v1/auth/register",
            null,
            new JsonObject().put("email", email).put("password", password).put("name", "Soak"),
            201)
        .onSuccess(r -> users.add(new String[] {email, password, null, "0"}))
        .onSuccess(r -> login());
  }

  /**
   * A login of the user whose token is the oldest (tokens live 15 minutes; one login every 30 s
   * renews each of up to 20 users within 10 minutes; beyond that, {@link #loggedInUser} leaves the
   * stale ones out).
   */
  private void login() {
    if (users.isEmpty()) return;
    String[] u =
        users.stream().min(java.util.Comparator.comparingLong(x -> Long.parseLong(x[3]))).get();
    // Claimed now (the next login takes another user); its old token is not used meanwhile.
    u[2] = null;
    u[3] = String.valueOf(System.currentTimeMillis());
    expect(
            "login",
            HttpMethod.POST,
            "/api/v1/auth/login",
            null,
            new JsonObject().put("email", u[0]).put("password", u[1]),
            200)
        .onSuccess(r -> u[2] = r.body().toJsonObject().getString("token"));
  }

  /** How long after its login a user's token is still used (it lives 15 minutes). */
  static final long TOKEN_USE_MS = TimeUnit.MINUTES.toMillis(12);

  /**
   * The admin's token lives 15 minutes: renewed every 5, so two failed renewals in a row still
   * leave it valid.
   */
  private void adminLogin() {
    expect(
            "admin login",
            HttpMethod.POST,
            "/api/v1/auth/login",
            null,
            new JsonObject()
                .put("email", System.getProperty("adminEmail", "admin@tarifa.local"))
                .put("password", System.getProperty("adminPassword", "")),
            200)
        .onSuccess(r -> adminToken = r.body().toJsonObject().getString("token"));
  }

  /**
   * Read a fare (ETag), then move it by ±5 EUR with If-Match: a write that publishes an event. One
   * at a time: two overlapping read-then-write cycles on the same fare would make the second a 412
   * (the driver's race, not the platform's).
   */
  private void adminWrite() {
    if (!adminInFlight.compareAndSet(false, true)) return;
    String path = pick(fareTargets).get("farePath");
    expect("fare read", HttpMethod.GET, path, adminToken, null, 200)
        .compose(
            r -> {
              long amount = r.body().toJsonObject().getJsonObject("amount").getLong("amount");
              long next = amount % 1000 < 500 ? amount + 500 : amount - 500;
              RequestOptions o =
                  options(HttpMethod.PATCH, path, adminToken)
                      .putHeader("If-Match", r.headers().get("ETag"));
              return expect("fare write", o, new JsonObject().put("amount", next), 200);
            })
        .onComplete(ar -> adminInFlight.set(false));
  }

  private void harvest(Resp r) {
    if (r.status() != 200 || hotelIds.size() >= 500) return;
    JsonArray results = r.body().toJsonObject().getJsonArray("results", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      String id = String.valueOf(results.getJsonObject(i).getJsonObject("hotel").getValue("id"));
      if (!hotelIds.contains(id)) hotelIds.add(id);
    }
  }

  private RequestOptions options(HttpMethod method, String path, String token) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(method)
            .setAbsoluteURI(gateway + path)
            .setIdleTimeout(30_000);
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    return o;
  }

  private Future<Resp> send(HttpMethod method, String path, String token, JsonObject body) {
    return send(options(method, path, token), body);
  }

  private Future<Resp> send(RequestOptions o, JsonObject body) {
    if (body != null) o.putHeader("Content-Type", "application/json");
    return http.request(o)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), resp.headers(), b)));
  }

  private Future<Resp> expect(
      String kind, HttpMethod method, String path, String token, JsonObject body, int status) {
    return expect(kind, options(method, path, token), body, status);
  }

  /** Counts the request; anything but the expected status (or a transport failure) is an error. */
  private Future<Resp> expect(String kind, RequestOptions o, JsonObject body, int status) {
    Window w = window;
    long t0 = System.nanoTime();
    w.requests.incrementAndGet();
    return send(o, body)
        .transform(
            ar -> {
              w.latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
              String why =
                  ar.failed()
                      ? ar.cause().toString()
                      : ar.result().status() != status
                          ? ar.result().status()
                              + " "
                              + ar.result()
                                  .body()
                                  .toString()
                                  .substring(0, Math.min(300, ar.result().body().length()))
                          : null;
              if (why == null) {
                if (ar.result().headers().contains("X-Degraded")) w.degraded.incrementAndGet();
                return Future.succeededFuture(ar.result());
              }
              w.errors.incrementAndGet();
              totalErrors.incrementAndGet();
              w.errorKinds
                  .computeIfAbsent(
                      kind + " " + (ar.failed() ? "io" : ar.result().status()),
                      k -> new AtomicLong())
                  .incrementAndGet();
              if (printedErrors.incrementAndGet() <= 50)
                System.err.println("soak: error: " + kind + " " + o.getURI() + ": " + why);
              return Future.failedFuture(kind + ": " + why);
            });
  }

  /**
   * The liveness probe of every process: its latency bounds the event-loop delay (plus one local
   * round trip).
   */
  private void probes() {
    Window w = window;
    for (Proc p : procs) {
      if (p.url() == null) continue;
      long t0 = System.nanoTime();
      http.request(
              new RequestOptions().setAbsoluteURI(p.url() + "/health/live").setIdleTimeout(10_000))
          .compose(req -> req.send())
          .compose(resp -> resp.body())
          .onComplete(
              ar ->
                  w.probeMs
                      .computeIfAbsent(
                          p.name(), k -> Collections.synchronizedList(new ArrayList<>()))
                      .add(ar.succeeded() ? (System.nanoTime() - t0) / 1_000_000 : 10_000L));
    }
  }

  // ---------------------------------------------------------------- sampling

  static final List<String> COLUMNS =
      List.of(
          "minute",
          "time",
          "process",
          "rss_mb",
          "heap_after_gc_mb",
          "fds",
          "threads",
          "pg_conns",
          "redis_conns",
          "amqp_conns",
          "probe_p99_ms",
          "probe_max_ms",
          "requests",
          "errors",
          "degraded",
          "p50_ms",
          "p99_ms",
          "db_sessions",
          "redis_clients",
          "load1");

  private List<Map<String, String>> sample(int minute, Window w) {
    Map<Long, int[]> conns = connections();
    int dbSessions =
        intOr(
            exec(
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-Atc",
                "select count(*) from pg_stat_activity where datname like '"
                    + System.getProperty("pgDbPrefix", "soak_")
                    + "%'"));
    String redisDb = "db=" + System.getProperty("redisDb", "11");
    int redisClients =
        (int)
            Arrays.stream(exec("redis-cli", "-h", "127.0.0.1", "CLIENT", "LIST").split("\n"))
                .filter(l -> Arrays.asList(l.split(" ")).contains(redisDb))
                .count();
    String load1 = read("/proc/loadavg").split(" ")[0];
    List<Long> lat = new ArrayList<>(w.latenciesMs);
    Collections.sort(lat);
    List<Map<String, String>> rows = new ArrayList<>();
    for (Proc p : procs) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("minute", String.valueOf(minute));
      row.put("time", Instant.now().toString().substring(0, 19) + "Z");
      row.put("process", p.name());
      String status = read("/proc/" + p.pid() + "/status");
      row.put("rss_mb", mb(field(status, "VmRSS")));
      row.put("heap_after_gc_mb", heapAfterGc(p.pid()));
      String[] fds = new java.io.File("/proc/" + p.pid() + "/fd").list();
      row.put("fds", fds == null ? "" : String.valueOf(fds.length));
      row.put("threads", field(status, "Threads"));
      int[] c = conns.getOrDefault(p.pid(), new int[3]);
      row.put("pg_conns", String.valueOf(c[0]));
      row.put("redis_conns", String.valueOf(c[1]));
      row.put("amqp_conns", String.valueOf(c[2]));
      List<Long> probe = new ArrayList<>(w.probeMs.getOrDefault(p.name(), List.of()));
      Collections.sort(probe);
      row.put("probe_p99_ms", probe.isEmpty() ? "" : String.valueOf(pct(probe, 99)));
      row.put("probe_max_ms", probe.isEmpty() ? "" : String.valueOf(probe.get(probe.size() - 1)));
      // The driver's figures belong to the whole platform: on every row, so a process's rows stand
      // alone.
      row.put("requests", String.valueOf(w.requests.get()));
      row.put("errors", String.valueOf(w.errors.get()));
      row.put("degraded", String.valueOf(w.degraded.get()));
      row.put("p50_ms", lat.isEmpty() ? "" : String.valueOf(pct(lat, 50)));
      row.put("p99_ms", lat.isEmpty() ? "" : String.valueOf(pct(lat, 99)));
      row.put("db_sessions", String.valueOf(dbSessions));
      row.put("redis_clients", String.valueOf(redisClients));
      row.put("load1", load1);
      rows.add(row);
    }
    if (!w.errorKinds.isEmpty())
      System.err.println(
          "soak: minute " + minute + " errors by kind: " + new TreeMap<>(w.errorKinds));
    return rows;
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** JMX connections to the sampled JVMs, opened once (attach API + local management agent). */
  private static final Map<Long, MemoryMXBean> MEMORY = new ConcurrentHashMap<>();

  /**
   * A full GC ({@link MemoryMXBean#gc()}, as jcmd GC.run), then the heap in use: the live set, free
   * of the garbage a sample would catch. Over JMX through the attach API: a jcmd per process and
   * minute is a JVM start each, which on this shared machine took up to a minute.
   */
  private static String heapAfterGc(long pid) {
    try {
      MemoryMXBean memory = MEMORY.get(pid);
      if (memory == null) {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address;
        try {
          address = vm.startLocalManagementAgent();
        } finally {
          vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        memory =
            ManagementFactory.newPlatformMXBeanProxy(
                connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        MEMORY.put(pid, memory);
      }
      memory.gc();
      return String.format("%.1f", memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0));
    } catch (Exception e) {
      MEMORY.remove(pid);
      System.err.println("soak: heap of " + pid + ": " + e);
      return "";
    }
  }

  /**
   * Established TCP connections per owning pid to PostgreSQL (5432), Redis (6379) and RabbitMQ
   * (5672).
   */
  private static Map<Long, int[]> connections() {
    Map<Long, int[]> byPid = new TreeMap<>();
    Pattern pidPattern = Pattern.compile("pid=(\\d+)");
    for (String line : exec("ss", "-tnpH", "state", "established").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5) continue;
      String peer = f[3];
      int slot =
          peer.endsWith(":5432") ? 0 : peer.endsWith(":6379") ? 1 : peer.endsWith(":5672") ? 2 : -1;
      if (slot < 0) continue;
      Matcher m = pidPattern.matcher(line);
      if (m.find()) byPid.computeIfAbsent(Long.parseLong(m.group(1)), k -> new int[3])[slot]++;
    }
    return byPid;
  }

  private static String exec(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
      return text;
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }

  private static String field(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":"))
        return line.substring(key.length() + 1).trim().split("\\s+")[0];
    }
    return "";
  }

  private static String mb(String kb) {
    return kb.isEmpty() ? "" : String.format("%.1f", Long.parseLong(kb) / 1024.0);
  }

  private static int intOr(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String summary(List<Map<String, String>> sample) {
    StringBuilder b = new StringBuilder();
    for (Map<String, String> r : sample) {
      b.append(r.get("process"))
          .append(' ')
          .append(r.get("rss_mb"))
          .append('/')
          .append(r.get("heap_after_gc_mb"))
          .append(" MB ")
          .append(r.get("fds"))
          .append(" fd; ");
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- verdict

  /**
   * The judged series: memory ones by relative growth, counts with an absolute slack of
   * COUNT_SLACK_ABS.
   */
  static final Map<String, Boolean> JUDGED = new LinkedHashMap<>();

  static {
    JUDGED.put("rss_mb", true);
    JUDGED.put("heap_after_gc_mb", true);
    JUDGED.put("fds", false);
    JUDGED.put("pg_conns", false);
    JUDGED.put("redis_conns", false);
    JUDGED.put("amqp_conns", false);
  }

  /**
   * One series over the second half: its least-squares growth over that half (slope × span) and its
   * last value against the maximum of the half's first quarter. Memory: both within 5 % (of the
   * half's mean, of that maximum). Counts: within max(2, 10 %). Returns null when it passes, else
   * why not.
   */
  static String judge(double[] half, boolean memory) {
    int n = half.length;
    if (n < 4) return null;
    double mx = (n - 1) / 2.0, my = Arrays.stream(half).average().orElse(0), sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - mx) * (half[i] - my);
      sxx += (i - mx) * (i - mx);
    }
    double growth = sxy / sxx * (n - 1);
    double quarterMax = Arrays.stream(half, 0, Math.max(1, n / 4)).max().orElse(0);
    double last = half[n - 1];
    double growthLimit =
        memory
            ? my * MEMORY_SLOPE_PCT / 100
            : Math.max(COUNT_SLACK_ABS, my * COUNT_SLOPE_PCT / 100);
    double lastLimit =
        memory
            ? quarterMax * (1 + MEMORY_LAST_PCT / 100)
            : quarterMax + Math.max(COUNT_SLACK_ABS, quarterMax * COUNT_SLOPE_PCT / 100);
    List<String> why = new ArrayList<>();
    if (growth > growthLimit)
      why.add(String.format("trend +%.1f over the half > %.1f", growth, growthLimit));
    if (last > lastLimit) why.add(String.format("last %.1f > %.1f", last, lastLimit));
    return why.isEmpty() ? null : String.join(", ", why);
  }

  static double growth(double[] half) {
    int n = half.length;
    if (n < 2) return 0;
    double mx = (n - 1) / 2.0, my = Arrays.stream(half).average().orElse(0), sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (i - mx) * (half[i] - my);
      sxx += (i - mx) * (i - mx);
    }
    return sxy / sxx * (n - 1);
  }

  static int reportFromCsv(Path outDir) throws IOException {
    List<String> lines = Files.readAllLines(outDir.resolve("soak.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    List<Map<String, String>> rows = new ArrayList<>();
    List<Proc> procs = new ArrayList<>();
    int minutes = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) row.put(header.get(i), i < f.length ? f[i] : "");
      rows.add(row);
      minutes = Math.max(minutes, Integer.parseInt(row.get("minute")));
      String name = row.get("process");
      if (procs.stream().noneMatch(p -> p.name().equals(name)))
        procs.add(new Proc(name, 0, row.get("probe_p99_ms").isEmpty() ? null : "probed"));
    }
    int warmup = Integer.getInteger("warmup", 3);
    long errors =
        rows.stream()
            .filter(r -> r.get("process").equals(procs.get(0).name()))
            .filter(r -> Integer.parseInt(r.get("minute")) > warmup)
            .mapToLong(r -> (long) num(r.get("errors")))
            .sum();
    return report(outDir, procs, rows, warmup, minutes, errors);
  }

  private int report(List<Map<String, String>> rows, int warmup, int minutes) throws IOException {
    return report(out, procs, rows, warmup, minutes, totalErrors.get());
  }

  /**
   * Judges minutes {@code warmup + 1 .. minutes}: errors over them, trends over their second half.
   */
  private static int report(
      Path out,
      List<Proc> procs,
      List<Map<String, String>> rows,
      int warmup,
      int minutes,
      long totalErrors)
      throws IOException {
    List<String> judgedProcs =
        System.getProperty("judged") != null
            ? List.of(System.getProperty("judged").split(","))
            : procs.stream().filter(p -> p.url() != null).map(Proc::name).toList();
    StringBuilder t = new StringBuilder();
    int from = warmup + (minutes - warmup) / 2 + 1;
    t.append("Per process: minute 1, the second half's first minute (")
        .append(from)
        .append("), its last (")
        .append(minutes)
        .append("), and the least-squares growth over the second half.\n\n");
    t.append("| process | RSS MB (1 / ")
        .append(from)
        .append(" / ")
        .append(minutes)
        .append(
            ", trend) | heap after GC MB | fds | threads | PG conns | Redis conns | AMQP conns | probe p99 ms (max of the run) |\n");
    t.append("|---|---|---|---|---|---|---|---|---|\n");
    List<String> failures = new ArrayList<>();
    for (Proc p : procs) {
      List<Map<String, String>> mine =
          rows.stream().filter(r -> r.get("process").equals(p.name())).toList();
      if (mine.isEmpty()) continue;
      t.append("| ").append(p.name()).append(judgedProcs.contains(p.name()) ? "" : " (not judged)");
      for (String col :
          List.of(
              "rss_mb",
              "heap_after_gc_mb",
              "fds",
              "threads",
              "pg_conns",
              "redis_conns",
              "amqp_conns")) {
        double[] half = series(mine, col, from);
        t.append(" | ")
            .append(val(mine, col, 1))
            .append(" / ")
            .append(val(mine, col, from))
            .append(" / ")
            .append(val(mine, col, minutes))
            .append(String.format(", %+.1f", growth(half)));
        if (JUDGED.containsKey(col) && judgedProcs.contains(p.name())) {
          String why = judge(half, JUDGED.get(col));
          if (why != null) failures.add(p.name() + " " + col + ": " + why);
        }
      }
      double probeMax =
          mine.stream().mapToDouble(r -> num(r.get("probe_p99_ms"))).max().orElse(Double.NaN);
      t.append(" | ")
          .append(Double.isNaN(probeMax) ? "n/a" : String.format("%.0f", probeMax))
          .append(" |\n");
    }
    t.append(
        "\nPer minute (the whole platform; RSS and heap after GC summed over the judged processes):\n\n");
    t.append(
        "| minute | requests | errors | degraded | p50 ms | p99 ms | RSS MB | heap MB | fds | PG sessions (soak_*) | Redis clients (db) | load1 |\n");
    t.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    long errors = 0, requests = 0, warmupErrors = 0;
    for (int m = 1; m <= minutes; m++) {
      final int mm = m;
      List<Map<String, String>> at =
          rows.stream().filter(r -> r.get("minute").equals(String.valueOf(mm))).toList();
      if (at.isEmpty()) continue;
      Map<String, String> any = at.get(0);
      List<Map<String, String>> judged =
          at.stream().filter(r -> judgedProcs.contains(r.get("process"))).toList();
      if (m <= warmup) warmupErrors += (long) num(any.get("errors"));
      else requests += (long) num(any.get("requests"));
      errors += m <= warmup ? 0 : (long) num(any.get("errors"));
      t.append(
          String.format(
              "| %d | %s | %s | %s | %s | %s | %.0f | %.0f | %.0f | %s | %s | %s |%n",
              m,
              any.get("requests"),
              any.get("errors"),
              any.get("degraded"),
              any.get("p50_ms"),
              any.get("p99_ms"),
              sum(judged, "rss_mb"),
              sum(judged, "heap_after_gc_mb"),
              sum(judged, "fds"),
              any.get("db_sessions"),
              any.get("redis_clients"),
              any.get("load1")));
    }
    errors = totalErrors;
    if (errors > 0) failures.add(0, errors + " errors (the first are in the log)");
    t.append("\n");
    if (warmup > 0)
      t.append("Warm-up: minutes 1-")
          .append(warmup)
          .append(" (arrival rate ramping up; not judged), ")
          .append(warmupErrors)
          .append(" errors. Judged: minutes ")
          .append(warmup + 1)
          .append('-')
          .append(minutes)
          .append(", ");
    t.append(requests)
        .append(" requests, ")
        .append(errors)
        .append(" errors. Verdict: ")
        .append(failures.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", failures))
        .append('\n');
    Files.writeString(out.resolve("table.md"), t.toString());
    System.out.print(t);
    return failures.isEmpty() ? 0 : 1;
  }

  private static double[] series(List<Map<String, String>> rows, String col, int fromMinute) {
    return rows.stream()
        .filter(r -> Integer.parseInt(r.get("minute")) >= fromMinute)
        .mapToDouble(r -> num(r.get(col)))
        .filter(d -> !Double.isNaN(d))
        .toArray();
  }

  private static String val(List<Map<String, String>> rows, String col, int minute) {
    return rows.stream()
        .filter(r -> r.get("minute").equals(String.valueOf(minute)))
        .map(r -> r.get(col))
        .findFirst()
        .orElse("");
  }

  private static double sum(List<Map<String, String>> rows, String col) {
    return rows.stream().mapToDouble(r -> num(r.get(col))).filter(d -> !Double.isNaN(d)).sum();
  }

  private static double num(String s) {
    try {
      return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
