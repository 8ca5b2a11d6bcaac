package dev.tarifa.checks.backup;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.tarifa.checks.browser.AllInOne;
import dev.tarifa.checks.support.Tools;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/backup end to end on the machine's PostgreSQL: the platform (small catalogue) fills its own
 * databases {@code backuptest_<service>} and an in-memory MongoDB-wire server; a user, a review and
 * an admin fare change go through the HTTP API; backup.sh backs everything up, restore.sh restores
 * it into {@code backuptest_*_restored}; every table and collection must match (row count and
 * content checksum), and the platform started on the restored databases must answer a search as
 * before and let the user log in.
 */
class BackupRestoreTest {
  private static final List<String> SERVICES = List.of("users", "flights", "hotels", "cars");
  private static final String PREFIX = "backuptest_";
  private static final String SUFFIX = "_restored";
  private static final String PG = "postgresql://postgres@127.0.0.1:5432/";
  private static final String D20 = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  private static final String SEARCH = "/api/v1/flights/search?from=FRA&to=JFK&date=" + D20;

  /**
   * Fields that differ between two answers to the same search (timings, request ids, cache state).
   */
  private static final Set<String> VOLATILE =
      Set.of(
          "tookMs",
          "took",
          "requestId",
          "traceId",
          "generatedAt",
          "cached",
          "cache",
          "age",
          "stale",
          "fetchedAt",
          "servedAt");

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static MongoServer mongoServer;
  private static String mongoUrl;
  private static Vertx vertx;

  @TempDir Path tmp;

  @BeforeAll
  static void servers() {
    Tools.require("pg_dump");
    Tools.require("pg_restore");
    Tools.require("psql");
    dropDatabases();
    mongoServer = new MongoServer(new MemoryBackend());
    mongoServer.bind("127.0.0.1", 0);
    var address = mongoServer.getLocalAddress();
    mongoUrl = "mongodb://127.0.0.1:" + address.getPort();
    vertx = Vertx.builder().build();
  }

  @AfterAll
  static void cleanUp() {
    if (vertx != null) vertx.close();
    if (mongoServer != null) mongoServer.shutdownNow();
    dropDatabases();
  }

  @Test
  void backupAndRestoreGiveTheSameData() throws Exception {
    String email = "backup-" + System.nanoTime() + "@example.org";
    String password = "correct horse battery staple";
    String before;
    try (AllInOne app = AllInOne.start(tmp.resolve("before.log"), platformEnv(""))) {
      String base = app.baseUrl();
      assertThat(
              call(
                      base,
                      "POST",
                      "/api/v1/auth/register",
                      null,
                      new JsonObject()
                          .put("email", email)
                          .put("password", password)
                          .put("name", "Backup Test"))
                  .statusCode())
          .isEqualTo(201);
      String user = login(base, email, password);
      String admin = login(base, AllInOne.ADMIN_EMAIL, app.adminPassword());

      // An admin price change: a new schedule with its own fare, visible in the search below.
      HttpResponse<String> schedule =
          call(
              base,
              "POST",
              "/admin/v1/flights",
              admin,
              new JsonObject()
                  .put("airline", "LH")
                  .put("number", 9123)
                  .put("from", "FRA")
                  .put("to", "JFK")
                  .put("departure", "07:45")
                  .put("durationMinutes", 520));
      assertThat(schedule.statusCode()).as(schedule.body()).isEqualTo(201);
      Object sid = new JsonObject(schedule.body()).getValue("id");
      HttpResponse<String> fare =
          call(
              base,
              "PUT",
              "/admin/v1/flights/" + sid + "/fares/economy/FAREFINCH",
              admin,
              new JsonObject().put("amount", 43_210));
      assertThat(fare.statusCode()).as(fare.body()).isEqualTo(201);

      HttpResponse<String> hotels =
          call(
              base,
              "GET",
              "/api/v1/hotels/search?near=JFK&checkIn="
                  + D20
                  + "&checkOut="
                  + LocalDate.parse(D20).plusDays(2)
                  + "&guests=2",
              null,
              null);
      long hotelId =
          new JsonObject(hotels.body())
              .getJsonArray("results")
              .getJsonObject(0)
              .getJsonObject("hotel")
              .getLong("id");
      HttpResponse<String> review =
          call(
              base,
              "POST",
              "/api/v1/reviews",
              user,
              new JsonObject()
                  .put("subject", "hotel:" + hotelId)
                  .put("rating", 5)
                  .put("title", "Backed up")
                  .put("text", "Still here after a restore."));
      assertThat(review.statusCode()).as(review.body()).isEqualTo(201);

      HttpResponse<String> search = call(base, "GET", SEARCH, null, null);
      assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
      assertThat(search.body().contains("\"LH9123@"))
          .as("the admin's new flight is found")
          .isTrue();
      before = stable(search.body());
    }

    // Back up (the platform is stopped, so the counts in the manifest are exact).
    Path target = tmp.resolve("backups");
    Map<String, String> env = scriptEnv();
    env.put("BACKUP_DIR", target.toString());
    // Retention: of four old backups, with the newest two kept whatever their age, the oldest three
    // go.
    for (String old :
        List.of("20200101T000000Z", "20200102T000000Z", "20200103T000000Z", "20200104T000000Z")) {
      Files.createDirectories(target.resolve("tarifa-" + old));
    }
    env.put("BACKUP_KEEP_MIN", "2");
    env.put("BACKUP_RETENTION_DAYS", "30");
    Tools.Result backup = script(env, "backup.sh");
    assertThat(backup.exitCode()).as(backup.output()).isZero();
    List<String> folders;
    try (var list = Files.list(target)) {
      folders = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(folders).hasSize(2).first().isEqualTo("tarifa-20200104T000000Z");
    Path folder = target.resolve(folders.get(1));
    assertThat(backup.output().strip()).endsWith(folder.toString());
    String manifest = Files.readString(folder.resolve("MANIFEST"));
    for (String s : SERVICES)
      assertThat(manifest).contains("postgres\t" + PREFIX + s + "\t" + s + "\tpg-" + s + ".dump");
    assertThat(manifest)
        .contains("sha256\t-\tmongo-reviews.jsonl.gz\t")
        .containsPattern("docs\t" + PREFIX + "reviews\treviews\t1\n");

    // A damaged file is refused before anything is created.
    Path damaged = tmp.resolve("damaged");
    Tools.run(tmp, 60, List.of("cp", "-r", folder.toString(), damaged.toString()));
    Files.writeString(
        damaged.resolve("pg-users.dump"), "x", java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> restoreEnv = scriptEnv();
    restoreEnv.put("BACKUP_RESTORE_SUFFIX", SUFFIX);
    Tools.Result refused = script(restoreEnv, "restore.sh", damaged.toString());
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("pg-users.dump: sha256");
    assertThat(
            psql(
                "postgres",
                "SELECT count(*) FROM pg_database WHERE datname LIKE '"
                    + PREFIX
                    + "%"
                    + SUFFIX
                    + "'"))
        .isEqualTo("0");

    Tools.Result restore = script(restoreEnv, "restore.sh", folder.toString());
    assertThat(restore.exitCode()).as(restore.output()).isZero();

    // Every table: same rows, same content; every collection: same documents.
    for (String s : SERVICES) {
      Map<String, String> original = tableChecksums(PREFIX + s);
      assertThat(original).as(s + " tables").isNotEmpty();
      assertThat(tableChecksums(PREFIX + s + SUFFIX)).as(s + " restored").isEqualTo(original);
    }
    assertThat(manifest).contains("rows\t" + PREFIX + "users\t");
    Map<String, List<JsonObject>> docs = documents(PREFIX + "reviews");
    assertThat(docs.get("reviews")).hasSize(1);
    assertThat(documents(PREFIX + "reviews" + SUFFIX)).isEqualTo(docs);

    // A restore never overwrites: the same backup again is refused.
    Tools.Result again = script(restoreEnv, "restore.sh", folder.toString());
    assertThat(again.exitCode()).as(again.output()).isNotZero();
    assertThat(again.output()).contains("already exists");

    // The platform on the restored databases answers the same and knows the user.
    try (AllInOne app = AllInOne.start(tmp.resolve("after.log"), platformEnv(SUFFIX))) {
      HttpResponse<String> search = call(app.baseUrl(), "GET", SEARCH, null, null);
      assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
      assertThat(stable(search.body())).isEqualTo(before);
      login(app.baseUrl(), email, password);
    }
  }

  private static Map<String, String> platformEnv(String suffix) {
    Map<String, String> env = new HashMap<>();
    env.put("TARIFA_PG_URL", PG + "postgres");
    // A login is 600,000 PBKDF2 rounds: on a busy 2-core machine that can exceed the default 2 s
    // upstream bound.
    env.put("TARIFA_UPSTREAM_TIMEOUT", "20s");
    for (String s : SERVICES)
      env.put("TARIFA_" + s.toUpperCase(Locale.ROOT) + "_PG_URL", PG + PREFIX + s + suffix);
    env.put("TARIFA_MONGO_URL", mongoUrl);
    env.put("TARIFA_MONGO_DATABASE", PREFIX + "reviews" + suffix);
    return env;
  }

  /**
   * The scripts' environment: the platform's URLs (without the suffix: restore.sh appends it) and
   * the classpath.
   */
  private static Map<String, String> scriptEnv() {
    Map<String, String> env = platformEnv("");
    env.put("BACKUP_JAVA_CP", System.getProperty("java.class.path"));
    env.put("BACKUP_MONGO", "java");
    return env;
  }

  private static Tools.Result script(Map<String, String> env, String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.add("bash");
    command.add(Tools.repoRoot().resolve("tools/backup/" + name).toString());
    command.addAll(List.of(args));
    return Tools.run(Tools.repoRoot(), 600, command);
  }

  /** table -> "rows:md5 of all rows in text form, ordered". */
  private static Map<String, String> tableChecksums(String database) {
    Map<String, String> sums = new TreeMap<>();
    String tables =
        psql(
            database,
            "SELECT string_agg(quote_ident(schemaname) || '.' || quote_ident(tablename), ' ') "
                + "FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')");
    for (String table : tables.split(" ")) {
      sums.put(
          table,
          psql(
              database,
              "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM "
                  + table
                  + " t"));
    }
    return sums;
  }

  private static String psql(String database, String sql) {
    Tools.Result r =
        Tools.run(
            Tools.repoRoot(),
            120,
            List.of(
                "psql",
                "-X",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "--dbname=" + PG + database,
                "-c",
                sql));
    assertThat(r.exitCode()).as(sql + ": " + r.output()).isZero();
    return r.output().strip();
  }

  private static void dropDatabases() {
    for (String s : List.of("users", "flights", "hotels", "cars")) {
      for (String suffix : List.of("", SUFFIX)) {
        Tools.run(
            Tools.repoRoot(),
            60,
            List.of(
                "psql",
                "-X",
                "-q",
                "--dbname=" + PG + "postgres",
                "-c",
                "DROP DATABASE IF EXISTS " + PREFIX + s + suffix + " WITH (FORCE)"));
      }
    }
  }

  private static Map<String, List<JsonObject>> documents(String database) throws Exception {
    MongoClient mongo =
        MongoClient.create(
            vertx, new JsonObject().put("connection_string", mongoUrl).put("db_name", database));
    try {
      Map<String, List<JsonObject>> all = new TreeMap<>();
      for (String c : get(mongo.getCollections())) {
        all.put(
            c,
            get(
                mongo.findWithOptions(
                    c,
                    new JsonObject(),
                    new FindOptions().setSort(new JsonObject().put("_id", 1)))));
      }
      return all;
    } finally {
      mongo.close();
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String login(String base, String email, String password) throws Exception {
    HttpResponse<String> r =
        call(
            base,
            "POST",
            "/api/v1/auth/login",
            null,
            new JsonObject().put("email", email).put("password", password));
    assertThat(r.statusCode()).as("login " + email + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getString("token");
  }

  private static HttpResponse<String> call(
      String base, String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The body without {@link #VOLATILE} fields, canonically encoded. */
  private static String stable(String body) {
    return ((JsonObject) strip(new JsonObject(body))).encode();
  }

  private static Object strip(Object value) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject(new TreeMap<>());
      o.forEach(
          e -> {
            if (!VOLATILE.contains(e.getKey())) out.put(e.getKey(), strip(e.getValue()));
          });
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(strip(v)));
      return out;
    }
    return value;
  }
}
