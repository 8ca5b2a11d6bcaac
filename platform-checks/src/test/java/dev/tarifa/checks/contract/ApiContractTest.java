package dev.tarifa.checks.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.checks.browser.AllInOne;
import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayShared;
import dev.tarifa.gateway.api.GatewayRouter;
import dev.tarifa.gateway.upstream.Upstream;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.health.Health;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API contract, proven against the code: {@code openapi.yaml} as the gateway serves it, loaded
 * with vertx-openapi (which validates the document itself), compared route by route with the
 * gateway's {@link Router}, and every public and admin operation called on the running all-in-one,
 * success and error cases, each response validated against its operation's schema for that status
 * (an undocumented status fails too). Any drift fails the build.
 */
class ApiContractTest {
  static final String D20 = LocalDate.now(ZoneOffset.UTC).plusDays(20).toString();
  static final String D24 = LocalDate.now(ZoneOffset.UTC).plusDays(24).toString();
  static final String PAST = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();

  static AllInOne app;
  static String adminPassword;
  static Vertx vertx;
  static OpenAPIContract contract;
  static ResponseValidator validator;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String base;

  /** The served document (server URL made absolute), before {@link #forValidation}. */
  static JsonObject original;

  /** operationId → the statuses validated; and every validation failure. */
  static final Map<String, Set<Integer>> covered = new TreeMap<>();

  static final List<String> failures = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // TARIFA_CHECKS_BASE_URL (+ TARIFA_CHECKS_ADMIN_PASSWORD): an all-in-one already running (a
    // developer's loop)
    String running = System.getenv("TARIFA_CHECKS_BASE_URL");
    if (running != null && !running.isBlank()) {
      base = running;
      adminPassword = System.getenv("TARIFA_CHECKS_ADMIN_PASSWORD");
    } else {
      app =
          AllInOne.start(
              Path.of("target", "contract", "all-in-one.log").toAbsolutePath(), Map.of());
      base = app.baseUrl();
      adminPassword = app.adminPassword();
    }
    // the document the gateway serves, not the source file
    HttpResponse<String> served =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/openapi.yaml")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    Path doc = Path.of("target", "contract", "openapi.yaml").toAbsolutePath();
    Files.createDirectories(doc.getParent());
    Files.writeString(doc, served.body());
    // servers: [{url: /}] means "where this document is served"; vertx-openapi wants an absolute
    // URL, so the served
    // origin is put there (the only change made to the document)
    @SuppressWarnings("unchecked")
    Map<String, Object> tree =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readValue(served.body(), Map.class);
    JsonObject document = new JsonObject(tree);
    assertThat(document.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("/");
    document.getJsonArray("servers").getJsonObject(0).put("url", base + "/");
    original = document.copy();
    contract = OpenAPIContract.from(vertx, forValidation(document)).await();
    validator = ResponseValidator.create(vertx, contract);
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) app.close();
    if (vertx != null) vertx.close().await();
  }

  /**
   * vertx-openapi 5.0 validates only some media types (application/json, text/plain,
   * application/vnd.*+json, ...); the document rightly uses {@code application/problem+json} (RFC
   * 9457), {@code application/yaml} and the Prometheus text type. The validation copy files each
   * such content under the supported type with the same schema ({@link #validationType}); each
   * answer is validated under the same renaming, and its real Content-Type is first checked against
   * the document as served ({@link #documentedTypes}).
   */
  static JsonObject forValidation(JsonObject document) {
    JsonObject copy = document.copy();
    copy.getJsonObject("paths")
        .forEach(
            path ->
                ((JsonObject) path.getValue())
                    .forEach(
                        op -> {
                          if (op.getValue() instanceof JsonObject o
                              && o.getJsonObject("responses") != null) {
                            o.getJsonObject("responses")
                                .forEach(r -> renameContent((JsonObject) r.getValue()));
                          }
                        }));
    JsonObject responses = copy.getJsonObject("components").getJsonObject("responses");
    if (responses != null) responses.forEach(r -> renameContent((JsonObject) r.getValue()));
    // the validator reads a header value "3" (quotes included) as the string 3; call() checks the
    // quotes itself
    copy.getJsonObject("components")
        .getJsonObject("headers")
        .getJsonObject("VersionETag")
        .getJsonObject("schema")
        .put("pattern", "^\"?\\d+\"?$");
    return copy;
  }

  static void renameContent(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) return;
    JsonObject renamed = new JsonObject();
    content.forEach(
        e -> {
          // vertx-openapi 5.0 applies no schema to a text body (its Buffer is "not supported"): a
          // text answer is
          // validated as the JSON string of its text (call() encodes it), a non-empty string
          boolean text = isText(e.getKey());
          renamed.put(
              validationType(e.getKey()),
              text
                  ? new JsonObject()
                      .put("schema", new JsonObject().put("type", "string").put("minLength", 1))
                  : e.getValue());
        });
    response.put("content", renamed);
  }

  static String validationType(String mediaType) {
    String base = mediaType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (base.equals("application/json") || base.endsWith("+json") && !base.contains("/vnd."))
      return "application/json";
    if (isText(base)) return "application/json";
    return mediaType;
  }

  static boolean isText(String mediaType) {
    String base = mediaType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return base.startsWith("text/") || base.equals("application/yaml");
  }

  /** The path template the served document gives for this operation and method, or null. */
  static String documentedPath(String operationId, String method) {
    for (var path : original.getJsonObject("paths")) {
      JsonObject op = ((JsonObject) path.getValue()).getJsonObject(method.toLowerCase(Locale.ROOT));
      if (op != null && operationId.equals(op.getString("operationId"))) return path.getKey();
    }
    return null;
  }

  /**
   * The media types (without parameters) the served document gives for this operation and status.
   */
  static Set<String> documentedTypes(String operationId, int status) {
    for (var path : original.getJsonObject("paths")) {
      for (var op : (JsonObject) path.getValue()) {
        if (!(op.getValue() instanceof JsonObject o)
            || !operationId.equals(o.getString("operationId"))) continue;
        JsonObject response = o.getJsonObject("responses").getJsonObject(Integer.toString(status));
        if (response == null) return Set.of();
        String ref = response.getString("$ref");
        if (ref != null)
          response =
              original
                  .getJsonObject("components")
                  .getJsonObject("responses")
                  .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
        Set<String> types = new TreeSet<>();
        JsonObject content = response.getJsonObject("content");
        if (content != null) content.fieldNames().forEach(t -> types.add(t.split(";")[0].trim()));
        return types;
      }
    }
    throw new IllegalArgumentException("no operation " + operationId);
  }

  // ---- routes -----------------------------------------------------------------------------------

  /** The gateway's own route table, built as the gateway builds it (upstreams are never called). */
  static List<Route> gatewayRoutes() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TARIFA_JWT_PUBLIC_KEY", JwtKeys.generateEs256().publicPem());
    GatewayConfig config = GatewayConfig.fromEnv(Env.of(env));
    GatewayShared shared = GatewayShared.create(vertx, config).await();
    WebClient client = WebClient.create(vertx);
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    for (String s : List.of("users", "flights", "hotels", "cars", "reviews")) {
      upstreams.put(
          s,
          new Upstream(s, URI.create("http://127.0.0.1:9"), client, shared.breakers().of(s), 1000));
    }
    Router router =
        new GatewayRouter(
                vertx,
                new Health(vertx),
                config,
                shared,
                JwtVerifier.create(vertx, config.auth()),
                upstreams,
                Clock.systemUTC())
            .router();
    return router.getRoutes();
  }

  /**
   * A route reduced to what the document can describe: a path template ({param}) or a prefix, and
   * its methods.
   */
  record RouteShape(String template, boolean prefix, Set<String> methods) {
    boolean matches(String concretePath, String method) {
      boolean path =
          prefix
              ? concretePath.startsWith(template)
              : Pattern.compile(template.replaceAll("\\{[^/}]+}", "[^/]+"))
                  .matcher(concretePath)
                  .matches();
      return path && (methods.isEmpty() || methods.contains(method));
    }
  }

  static RouteShape shape(Route r) {
    // "/x/*" is kept as the prefix "/x/" with exactPath false; ":id" parameters become the
    // document's "{id}"
    boolean prefix = !r.isExactPath();
    String template = r.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    Set<String> methods = new TreeSet<>();
    if (r.methods() != null)
      for (HttpMethod m : r.methods()) methods.add(m.name().toLowerCase(Locale.ROOT));
    return new RouteShape(template, prefix, methods);
  }

  /**
   * Routes that are not operations: the admin role guard in front of every admin route, the web
   * page's files.
   */
  static final Set<String> NOT_OPERATIONS = Set.of("/admin/v1/", "/");

  @Test
  void everyRouteIsDescribedAndEveryDescribedRouteExists() {
    List<RouteShape> routes = new ArrayList<>();
    // a ":param" route is a regex route that keeps its declared path; pathless routes are the
    // common frame's handlers
    for (Route r : gatewayRoutes()) if (r.getPath() != null) routes.add(shape(r));
    assertThat(routes).as("the gateway's routes").hasSizeGreaterThan(20);
    Map<String, Set<String>> documented = new TreeMap<>();
    for (Operation op : contract.operations()) {
      documented
          .computeIfAbsent(op.getOpenAPIPath(), k -> new TreeSet<>())
          .add(op.getHttpMethod().name().toLowerCase(Locale.ROOT));
    }

    List<String> undocumented = new ArrayList<>();
    for (RouteShape r : routes) {
      if (NOT_OPERATIONS.contains(r.template()) && r.prefix()) continue;
      // a prefix route, or a pass-through for every method (an admin resource's root, forwarded as
      // it comes), is
      // described by the operations under it; any other route by an operation on its template with
      // its methods
      boolean passThrough = r.prefix() || r.methods().isEmpty();
      String under = r.template().endsWith("/") ? r.template() : r.template() + "/";
      boolean described =
          documented.entrySet().stream()
              .anyMatch(
                  e ->
                      (passThrough
                              ? e.getKey().equals(r.template()) || e.getKey().startsWith(under)
                              : e.getKey()
                                  .replaceAll("\\{[^/}]+}", "{}")
                                  .equals(r.template().replaceAll("\\{[^/}]+}", "{}")))
                          && (r.methods().isEmpty()
                              || e.getValue().containsAll(r.methods())
                              || r.prefix()
                                  && e.getValue().stream().anyMatch(r.methods()::contains)));
      if (!described) undocumented.add(r.methods() + " " + r.template() + (r.prefix() ? "*" : ""));
    }
    assertThat(undocumented)
        .as("routes the gateway serves that openapi.yaml does not describe")
        .isEmpty();

    List<String> missing = new ArrayList<>();
    documented.forEach(
        (path, methods) -> {
          String concrete = path.replaceAll("\\{[^/}]+}", "x1");
          for (String m : methods) {
            boolean exists =
                routes.stream()
                    .filter(r -> !(NOT_OPERATIONS.contains(r.template()) && r.prefix()))
                    .anyMatch(r -> r.matches(concrete, m));
            if (!exists) missing.add(m.toUpperCase(Locale.ROOT) + " " + path);
          }
        });
    assertThat(missing)
        .as("operations openapi.yaml describes that no gateway route serves")
        .isEmpty();
  }

  // ---- responses --------------------------------------------------------------------------------

  /** A response as sent, validated against {@code operationId}'s response for its status. */
  record Answer(int status, Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Answer call(
      String operationId,
      int expectedStatus,
      String method,
      String uri,
      Object body,
      String... headers) {
    String documentedAt = documentedPath(operationId, method);
    String path = uri.split("\\?")[0];
    if (documentedAt == null || !path.matches(documentedAt.replaceAll("\\{[^/}]+}", "[^/]+"))) {
      failures.add(
          operationId
              + ": "
              + method
              + " "
              + path
              + " is not where the document puts it ("
              + documentedAt
              + ")");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + uri)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    String text = body == null ? null : body instanceof JsonObject j ? j.encode() : body.toString();
    if (text != null) b.header("Content-Type", "application/json");
    b.method(
        method,
        text == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(text));
    HttpResponse<String> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + uri + ": " + e, e);
    }
    Map<String, String> h = new TreeMap<>();
    res.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    Answer a = new Answer(res.statusCode(), h, res.body());
    String where = operationId + " (" + method + " " + uri + ") " + a.status();
    if (a.status() != expectedStatus) {
      failures.add(where + ": expected " + expectedStatus + ", body " + abbreviate(a.body()));
      return a;
    }
    String contentType = h.get("content-type");
    Set<String> documented = documentedTypes(operationId, a.status());
    if (contentType != null
        && !a.body().isEmpty()
        && !documented.contains(contentType.split(";")[0].trim())) {
      failures.add(where + ": Content-Type " + contentType + " is not documented " + documented);
      return a;
    }
    String etag = h.get("etag");
    if (etag != null && operationId.startsWith("admin") && !etag.matches("\"\\d+\"")) {
      failures.add(where + ": ETag " + etag + " is not a quoted version");
      return a;
    }
    boolean textBody = contentType != null && isText(contentType);
    if (contentType != null) contentType = validationType(contentType);
    if (contentType != null) h.put("content-type", contentType);
    Buffer buffer =
        a.body() == null || a.body().isEmpty()
            ? null
            : Buffer.buffer(textBody ? io.vertx.core.json.Json.encode(a.body()) : a.body());
    ValidatableResponse response =
        buffer == null
            ? ValidatableResponse.create(a.status(), h)
            : ValidatableResponse.create(a.status(), h, buffer, contentType);
    try {
      validator.validate(response, operationId).await();
      covered.computeIfAbsent(operationId, k -> new TreeSet<>()).add(a.status());
    } catch (Exception e) {
      failures.add(where + ": " + e.getMessage() + " — body " + abbreviate(a.body()));
    }
    return a;
  }

  static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String bearer(String token) {
    return "Bearer " + token;
  }

  static String login(String email, String password) {
    Answer a =
        call(
            "login",
            200,
            "POST",
            "/api/v1/auth/login",
            new JsonObject().put("email", email).put("password", password));
    assertThat(a.status()).as("login " + email + ": " + a.body()).isEqualTo(200);
    return a.json().getString("token");
  }

  @Test
  void everyOperationAnswersAsDocumented() {
    // ---- operations
    call("live", 200, "GET", "/health/live", null);
    call("ready", 200, "GET", "/health/ready", null);
    call("metrics", 200, "GET", "/metrics", null);
    call("openapi", 200, "GET", "/openapi.yaml", null);

    // ---- searches: success, a 304 revalidation, a 400 naming the parameter
    String flights = "/api/v1/flights/search?from=FRA&to=JFK&date=" + D20;
    Answer f = call("searchFlights", 200, "GET", flights, null);
    call("searchFlights", 304, "GET", flights, null, "If-None-Match", f.header("ETag"));
    call("searchFlights", 400, "GET", "/api/v1/flights/search?from=FRA&to=JFK&date=" + PAST, null);
    String hotels =
        "/api/v1/hotels/search?near=JFK&checkIn=" + D20 + "&checkOut=" + D24 + "&guests=2";
    Answer h = call("searchHotels", 200, "GET", hotels, null);
    call("searchHotels", 304, "GET", hotels, null, "If-None-Match", h.header("ETag"));
    call(
        "searchHotels",
        400,
        "GET",
        "/api/v1/hotels/search?checkIn=" + D20 + "&checkOut=" + D24,
        null);
    String cars =
        "/api/v1/cars/search?location=JFK&pickUp=" + D20 + "T10:00&dropOff=" + D24 + "T10:00";
    Answer c = call("searchCars", 200, "GET", cars, null);
    call("searchCars", 304, "GET", cars, null, "If-None-Match", c.header("ETag"));
    call("searchCars", 400, "GET", cars + "&carClass=X", null);
    call(
        "searchTrips",
        200,
        "GET",
        "/api/v1/trips/search?from=FRA&to=JFK&depart=" + D20 + "&return=" + D24 + "&adults=2",
        null);
    call(
        "searchTrips",
        200,
        "GET",
        "/api/v1/trips/search?from=FRA&to=PHL&depart=" + D20 + "&nights=3",
        null);
    call("searchTrips", 200, "GET", "/api/v1/trips/search?from=FRA&to=JFK&depart=" + D20, null);
    call(
        "searchTrips",
        400,
        "GET",
        "/api/v1/trips/search?from=FRA&to=JFK&depart=" + D24 + "&return=" + D20,
        null);
    call(
        "searchTrips",
        400,
        "GET",
        "/api/v1/trips/search?from=FRA&to=JFK&depart=" + D20 + "&return=" + D24 + "&nights=2",
        null);

    // ---- catalogue and details
    call("autocompleteAirports", 200, "GET", "/api/v1/airports?q=fra", null);
    call("autocompleteAirports", 400, "GET", "/api/v1/airports?q=f", null);
    call("getAirport", 200, "GET", "/api/v1/airports/FRA", null);
    call("getAirport", 404, "GET", "/api/v1/airports/QQQ", null);
    call("getAirline", 200, "GET", "/api/v1/airlines/LH", null);
    call("getAirline", 404, "GET", "/api/v1/airlines/Q9", null);
    long hotelId =
        h.json().getJsonArray("results").getJsonObject(0).getJsonObject("hotel").getLong("id");
    call("getHotel", 200, "GET", "/api/v1/hotels/" + hotelId, null);
    call("getHotel", 404, "GET", "/api/v1/hotels/99999999", null);
    call("getHotel", 400, "GET", "/api/v1/hotels/abc", null);
    String supplier =
        c.json()
            .getJsonArray("results")
            .getJsonObject(0)
            .getJsonObject("cheapest")
            .getJsonObject("provider")
            .getString("code");
    call("getCarSupplier", 200, "GET", "/api/v1/cars/suppliers/" + supplier, null);
    call("getCarSupplier", 404, "GET", "/api/v1/cars/suppliers/nosuchsupplier", null);

    // ---- users
    String email = "contract-" + UUID.randomUUID() + "@example.org";
    String password = "correct horse battery staple";
    JsonObject registration =
        new JsonObject().put("email", email).put("password", password).put("name", "Contract Test");
    call("register", 201, "POST", "/api/v1/auth/register", registration);
    call("register", 409, "POST", "/api/v1/auth/register", registration);
    call(
        "register",
        400,
        "POST",
        "/api/v1/auth/register",
        new JsonObject().put("email", "x-" + email).put("password", "short"));
    String user = login(email, password);
    call(
        "login",
        401,
        "POST",
        "/api/v1/auth/login",
        new JsonObject().put("email", email).put("password", "wrong password here"));
    call("login", 400, "POST", "/api/v1/auth/login", new JsonObject().put("email", email));
    Answer me = call("me", 200, "GET", "/api/v1/me", null, "Authorization", bearer(user));
    call("me", 401, "GET", "/api/v1/me", null);
    String admin = login(AllInOne.ADMIN_EMAIL, adminPassword);

    // ---- reviews
    String subject = "hotel:" + hotelId;
    JsonObject review =
        new JsonObject()
            .put("subject", subject)
            .put("rating", 4)
            .put("title", "Quiet rooms")
            .put("text", "Clean, quiet and close to the airport.");
    Answer created =
        call("createReview", 201, "POST", "/api/v1/reviews", review, "Authorization", bearer(user));
    call("createReview", 409, "POST", "/api/v1/reviews", review, "Authorization", bearer(user));
    call(
        "createReview",
        400,
        "POST",
        "/api/v1/reviews",
        review.copy().put("rating", 9),
        "Authorization",
        bearer(admin));
    call("createReview", 401, "POST", "/api/v1/reviews", review);
    String reviewId = created.status() == 201 ? created.json().getString("id") : "missing";
    call("listReviews", 200, "GET", "/api/v1/reviews?subject=" + q(subject), null);
    call("listReviews", 400, "GET", "/api/v1/reviews", null);
    call("reviewSummary", 200, "GET", "/api/v1/reviews/summary?subject=" + q(subject), null);
    call("reviewSummary", 400, "GET", "/api/v1/reviews/summary?subject=nonsense", null);
    call(
        "reviewSummaries",
        200,
        "GET",
        "/api/v1/reviews/summaries?subjects=" + q(subject + ",airline:LH"),
        null);
    call("reviewSummaries", 400, "GET", "/api/v1/reviews/summaries", null);
    call("getReview", 200, "GET", "/api/v1/reviews/" + reviewId, null);
    call("getReview", 404, "GET", "/api/v1/reviews/" + "0".repeat(24), null);
    call(
        "voteHelpful",
        200,
        "POST",
        "/api/v1/reviews/" + reviewId + "/helpful",
        null,
        "Authorization",
        bearer(admin));
    call("voteHelpful", 401, "POST", "/api/v1/reviews/" + reviewId + "/helpful", null);
    call(
        "voteHelpful",
        404,
        "POST",
        "/api/v1/reviews/" + "0".repeat(24) + "/helpful",
        null,
        "Authorization",
        bearer(admin));

    // ---- admin: cache and dead letters
    call("adminCacheStats", 200, "GET", "/admin/v1/cache", null, "Authorization", bearer(admin));
    call("adminCacheStats", 401, "GET", "/admin/v1/cache", null);
    call("adminCacheStats", 403, "GET", "/admin/v1/cache", null, "Authorization", bearer(user));
    call(
        "adminCachePurge",
        200,
        "DELETE",
        "/admin/v1/cache?tag=flights:FRA-JFK",
        null,
        "Authorization",
        bearer(admin));
    call("adminCachePurge", 400, "DELETE", "/admin/v1/cache", null, "Authorization", bearer(admin));
    call(
        "adminListDeadLetters",
        200,
        "GET",
        "/admin/v1/events/dead-letters?queue=hotels.ratings",
        null,
        "Authorization",
        bearer(admin));
    call(
        "adminListDeadLetters",
        400,
        "GET",
        "/admin/v1/events/dead-letters",
        null,
        "Authorization",
        bearer(admin));
    call(
        "adminReplayDeadLetters",
        200,
        "POST",
        "/admin/v1/events/dead-letters/replay?queue=hotels.ratings",
        null,
        "Authorization",
        bearer(admin));
    call(
        "adminReplayDeadLetters",
        404,
        "POST",
        "/admin/v1/events/dead-letters/replay?queue=hotels.ratings&id=nope",
        null,
        "Authorization",
        bearer(admin));
    call(
        "adminDiscardDeadLetters",
        200,
        "DELETE",
        "/admin/v1/events/dead-letters?queue=hotels.ratings",
        null,
        "Authorization",
        bearer(admin));
    call(
        "adminDiscardDeadLetters",
        400,
        "DELETE",
        "/admin/v1/events/dead-letters?queue=hotels.ratings&id=",
        null,
        "Authorization",
        bearer(admin));

    String auth = bearer(admin);
    // ---- admin: flights (schedules and fares)
    call(
        "adminListSchedules",
        200,
        "GET",
        "/admin/v1/flights?from=FRA&to=JFK",
        null,
        "Authorization",
        auth);
    call("adminListSchedules", 400, "GET", "/admin/v1/flights?from=F", null, "Authorization", auth);
    JsonObject schedule =
        new JsonObject()
            .put("airline", "LH")
            .put("number", 9876)
            .put("from", "FRA")
            .put("to", "JFK")
            .put("departure", "09:30")
            .put("durationMinutes", 500);
    Answer sc =
        call(
            "adminCreateSchedule",
            201,
            "POST",
            "/admin/v1/flights",
            schedule,
            "Authorization",
            auth);
    call(
        "adminCreateSchedule",
        400,
        "POST",
        "/admin/v1/flights",
        schedule.copy().put("durationMinutes", 1),
        "Authorization",
        auth);
    String sid = sc.status() == 201 ? String.valueOf(sc.json().getValue("id")) : "0";
    Answer sg =
        call(
            "adminGetSchedule",
            200,
            "GET",
            "/admin/v1/flights/" + sid,
            null,
            "Authorization",
            auth);
    call("adminGetSchedule", 404, "GET", "/admin/v1/flights/99999999", null, "Authorization", auth);
    call(
        "adminReplaceSchedule",
        428,
        "PUT",
        "/admin/v1/flights/" + sid,
        schedule,
        "Authorization",
        auth);
    Answer sr =
        call(
            "adminReplaceSchedule",
            200,
            "PUT",
            "/admin/v1/flights/" + sid,
            schedule.copy().put("departure", "10:30"),
            "Authorization",
            auth,
            "If-Match",
            sg.header("ETag"));
    call(
        "adminReplaceSchedule",
        412,
        "PUT",
        "/admin/v1/flights/" + sid,
        schedule,
        "Authorization",
        auth,
        "If-Match",
        sg.header("ETag"));
    call(
        "adminListFares",
        200,
        "GET",
        "/admin/v1/flights/" + sid + "/fares",
        null,
        "Authorization",
        auth);
    String fare = "/admin/v1/flights/" + sid + "/fares/economy/FAREFINCH";
    Answer fp =
        call(
            "adminPutFare",
            201,
            "PUT",
            fare,
            new JsonObject().put("amount", 50_000),
            "Authorization",
            auth);
    call(
        "adminPutFare", 400, "PUT", fare, new JsonObject().put("amount", 0), "Authorization", auth);
    Answer fg = call("adminGetFare", 200, "GET", fare, null, "Authorization", auth);
    call(
        "adminGetFare",
        404,
        "GET",
        "/admin/v1/flights/" + sid + "/fares/first/FAREFINCH",
        null,
        "Authorization",
        auth);
    call(
        "adminPutFare",
        200,
        "PUT",
        fare,
        new JsonObject().put("amount", 51_000),
        "Authorization",
        auth,
        "If-Match",
        fg.header("ETag"));
    Answer fg2 = call("adminGetFare", 200, "GET", fare, null, "Authorization", auth);
    call(
        "adminPatchFare",
        428,
        "PATCH",
        fare,
        new JsonObject().put("amount", 52_000),
        "Authorization",
        auth);
    Answer fpa =
        call(
            "adminPatchFare",
            200,
            "PATCH",
            fare,
            new JsonObject().put("amount", 52_000),
            "Authorization",
            auth,
            "If-Match",
            fg2.header("ETag"));
    call("adminDeleteFare", 428, "DELETE", fare, null, "Authorization", auth);
    call(
        "adminDeleteFare",
        204,
        "DELETE",
        fare,
        null,
        "Authorization",
        auth,
        "If-Match",
        fpa.header("ETag"));
    call(
        "adminDeleteSchedule",
        428,
        "DELETE",
        "/admin/v1/flights/" + sid,
        null,
        "Authorization",
        auth);
    call(
        "adminDeleteSchedule",
        204,
        "DELETE",
        "/admin/v1/flights/" + sid,
        null,
        "Authorization",
        auth,
        "If-Match",
        sr.header("ETag"));
    call(
        "adminDeleteSchedule",
        404,
        "DELETE",
        "/admin/v1/flights/" + sid,
        null,
        "Authorization",
        auth,
        "If-Match",
        sr.header("ETag"));

    // ---- admin: hotels, room types, rates
    JsonObject hotel =
        new JsonObject()
            .put("cityKey", "new-york-us")
            .put("name", "Contract Test Inn")
            .put("stars", 3)
            .put("district", "Midtown")
            .put("address", "1 Test Street, New York")
            .put("latitude", 40.75)
            .put("longitude", -73.98);
    Answer hc =
        call("adminCreateHotel", 201, "POST", "/admin/v1/hotels", hotel, "Authorization", auth);
    call(
        "adminCreateHotel",
        400,
        "POST",
        "/admin/v1/hotels",
        hotel.copy().put("stars", 9),
        "Authorization",
        auth);
    call("adminCreateHotel", 401, "POST", "/admin/v1/hotels", hotel);
    String hid = hc.status() == 201 ? String.valueOf(hc.json().getValue("id")) : "0";
    Answer hg =
        call("adminGetHotel", 200, "GET", "/admin/v1/hotels/" + hid, null, "Authorization", auth);
    call("adminGetHotel", 404, "GET", "/admin/v1/hotels/99999999", null, "Authorization", auth);
    call("adminUpdateHotel", 428, "PUT", "/admin/v1/hotels/" + hid, hotel, "Authorization", auth);
    Answer hu =
        call(
            "adminUpdateHotel",
            200,
            "PUT",
            "/admin/v1/hotels/" + hid,
            hotel.copy().put("stars", 4),
            "Authorization",
            auth,
            "If-Match",
            hg.header("ETag"));
    String roomTypes = "/admin/v1/hotels/" + hid + "/room-types";
    Answer rc =
        call(
            "adminCreateRoomType",
            201,
            "POST",
            roomTypes,
            new JsonObject().put("code", "double"),
            "Authorization",
            auth);
    call(
        "adminCreateRoomType",
        409,
        "POST",
        roomTypes,
        new JsonObject().put("code", "double"),
        "Authorization",
        auth);
    call(
        "adminCreateRoomType",
        400,
        "POST",
        roomTypes,
        new JsonObject().put("code", "palace"),
        "Authorization",
        auth);
    call(
        "adminUpdateRoomType",
        428,
        "PUT",
        roomTypes + "/double",
        new JsonObject().put("maxOccupancy", 3),
        "Authorization",
        auth);
    Answer ru =
        call(
            "adminUpdateRoomType",
            200,
            "PUT",
            roomTypes + "/double",
            new JsonObject().put("maxOccupancy", 3),
            "Authorization",
            auth,
            "If-Match",
            rc.header("ETag"));
    String rate = roomTypes + "/double/rates/staycompare";
    JsonObject nightly =
        new JsonObject()
            .put("baseNightly", new JsonObject().put("amount", 12_000).put("currency", "EUR"));
    Answer rp = call("adminPutHotelRate", 201, "PUT", rate, nightly, "Authorization", auth);
    call(
        "adminPutHotelRate",
        400,
        "PUT",
        rate,
        new JsonObject()
            .put("baseNightly", new JsonObject().put("amount", 1).put("currency", "EUR")),
        "Authorization",
        auth);
    Answer rp2 =
        call(
            "adminPutHotelRate",
            200,
            "PUT",
            rate,
            nightly,
            "Authorization",
            auth,
            "If-Match",
            rp.header("ETag"));
    call("adminDeleteHotelRate", 428, "DELETE", rate, null, "Authorization", auth);
    call(
        "adminDeleteHotelRate",
        204,
        "DELETE",
        rate,
        null,
        "Authorization",
        auth,
        "If-Match",
        rp2.header("ETag"));
    call(
        "adminDeleteHotelRate",
        404,
        "DELETE",
        rate,
        null,
        "Authorization",
        auth,
        "If-Match",
        rp2.header("ETag"));
    call("adminDeleteRoomType", 428, "DELETE", roomTypes + "/double", null, "Authorization", auth);
    call(
        "adminDeleteRoomType",
        204,
        "DELETE",
        roomTypes + "/double",
        null,
        "Authorization",
        auth,
        "If-Match",
        ru.header("ETag"));
    call("adminDeleteHotel", 428, "DELETE", "/admin/v1/hotels/" + hid, null, "Authorization", auth);
    call(
        "adminDeleteHotel",
        204,
        "DELETE",
        "/admin/v1/hotels/" + hid,
        null,
        "Authorization",
        auth,
        "If-Match",
        hu.header("ETag"));
    call(
        "adminDeleteHotel",
        404,
        "DELETE",
        "/admin/v1/hotels/" + hid,
        null,
        "Authorization",
        auth,
        "If-Match",
        hu.header("ETag"));

    // ---- admin: car stations, classes, rates (PHL has no station in the small catalogue)
    JsonObject station =
        new JsonObject()
            .put("name", "Philadelphia Airport Car Rental")
            .put("cityKey", "philadelphia-us")
            .put("city", "Philadelphia")
            .put("country", "United States")
            .put("latitude", 39.87)
            .put("longitude", -75.24);
    Answer stc =
        call(
            "adminCreateStation",
            201,
            "POST",
            "/admin/v1/cars/stations",
            station.copy().put("iata", "PHL"),
            "Authorization",
            auth);
    call(
        "adminCreateStation",
        409,
        "POST",
        "/admin/v1/cars/stations",
        station.copy().put("iata", "PHL"),
        "Authorization",
        auth);
    call(
        "adminCreateStation",
        400,
        "POST",
        "/admin/v1/cars/stations",
        station,
        "Authorization",
        auth);
    String st = "/admin/v1/cars/stations/PHL";
    Answer stg = call("adminGetStation", 200, "GET", st, null, "Authorization", auth);
    call("adminGetStation", 404, "GET", "/admin/v1/cars/stations/QQQ", null, "Authorization", auth);
    call("adminUpdateStation", 428, "PUT", st, station, "Authorization", auth);
    Answer stu =
        call(
            "adminUpdateStation",
            200,
            "PUT",
            st,
            station.copy().put("name", "PHL Car Rental Centre"),
            "Authorization",
            auth,
            "If-Match",
            stg.header("ETag"));
    Answer cc =
        call(
            "adminAddCarClass",
            201,
            "POST",
            st + "/classes",
            new JsonObject().put("code", "ECMR"),
            "Authorization",
            auth);
    call(
        "adminAddCarClass",
        409,
        "POST",
        st + "/classes",
        new JsonObject().put("code", "ECMR"),
        "Authorization",
        auth);
    call(
        "adminAddCarClass",
        400,
        "POST",
        st + "/classes",
        new JsonObject().put("code", "XXXX"),
        "Authorization",
        auth);
    String carRate = st + "/classes/ECMR/rates/drivenow";
    JsonObject daily =
        new JsonObject()
            .put("baseDaily", new JsonObject().put("amount", 4_000).put("currency", "EUR"));
    Answer cr = call("adminPutCarRate", 201, "PUT", carRate, daily, "Authorization", auth);
    call(
        "adminPutCarRate",
        400,
        "PUT",
        carRate,
        new JsonObject().put("baseDaily", 12),
        "Authorization",
        auth);
    call("adminDeleteCarRate", 428, "DELETE", carRate, null, "Authorization", auth);
    call(
        "adminDeleteCarRate",
        204,
        "DELETE",
        carRate,
        null,
        "Authorization",
        auth,
        "If-Match",
        cr.header("ETag"));
    call(
        "adminDeleteCarRate",
        404,
        "DELETE",
        carRate,
        null,
        "Authorization",
        auth,
        "If-Match",
        cr.header("ETag"));
    call("adminRemoveCarClass", 428, "DELETE", st + "/classes/ECMR", null, "Authorization", auth);
    call(
        "adminRemoveCarClass",
        204,
        "DELETE",
        st + "/classes/ECMR",
        null,
        "Authorization",
        auth,
        "If-Match",
        cc.header("ETag"));
    call("adminDeleteStation", 428, "DELETE", st, null, "Authorization", auth);
    call(
        "adminDeleteStation",
        204,
        "DELETE",
        st,
        null,
        "Authorization",
        auth,
        "If-Match",
        stu.header("ETag"));
    call(
        "adminDeleteStation",
        404,
        "DELETE",
        st,
        null,
        "Authorization",
        auth,
        "If-Match",
        stu.header("ETag"));

    // ---- admin: users
    String userId = me.status() == 200 ? me.json().getString("id") : "missing";
    call("adminListUsers", 200, "GET", "/admin/v1/users?q=contract", null, "Authorization", auth);
    call("adminListUsers", 400, "GET", "/admin/v1/users?limit=0", null, "Authorization", auth);
    Answer ug =
        call("adminGetUser", 200, "GET", "/admin/v1/users/" + userId, null, "Authorization", auth);
    call("adminGetUser", 404, "GET", "/admin/v1/users/99999999", null, "Authorization", auth);
    call(
        "adminPatchUser",
        428,
        "PATCH",
        "/admin/v1/users/" + userId,
        new JsonObject().put("disabled", false),
        "Authorization",
        auth);
    call(
        "adminPatchUser",
        400,
        "PATCH",
        "/admin/v1/users/" + userId,
        new JsonObject(),
        "Authorization",
        auth,
        "If-Match",
        ug.header("ETag"));
    call(
        "adminPatchUser",
        200,
        "PATCH",
        "/admin/v1/users/" + userId,
        new JsonObject().put("roles", new JsonArray().add("user")),
        "Authorization",
        auth,
        "If-Match",
        ug.header("ETag"));
    call(
        "adminDeleteUser", 204, "DELETE", "/admin/v1/users/" + userId, null, "Authorization", auth);
    call(
        "adminDeleteUser", 404, "DELETE", "/admin/v1/users/" + userId, null, "Authorization", auth);

    // ---- admin: reviews
    call(
        "adminListReviews",
        200,
        "GET",
        "/admin/v1/reviews?subject=" + q(subject),
        null,
        "Authorization",
        auth);
    call("adminListReviews", 400, "GET", "/admin/v1/reviews?limit=0", null, "Authorization", auth);
    call(
        "adminRebuildAggregate",
        200,
        "POST",
        "/admin/v1/reviews/aggregates/rebuild?subject=" + q(subject),
        null,
        "Authorization",
        auth);
    call(
        "adminRebuildAggregate",
        400,
        "POST",
        "/admin/v1/reviews/aggregates/rebuild",
        null,
        "Authorization",
        auth);
    call(
        "adminModerateReview",
        200,
        "PATCH",
        "/admin/v1/reviews/" + reviewId,
        new JsonObject().put("hidden", true),
        "Authorization",
        auth);
    call(
        "adminModerateReview",
        400,
        "PATCH",
        "/admin/v1/reviews/" + reviewId,
        new JsonObject(),
        "Authorization",
        auth);
    call(
        "adminModerateReview",
        404,
        "PATCH",
        "/admin/v1/reviews/" + "0".repeat(24),
        new JsonObject().put("hidden", true),
        "Authorization",
        auth);
    call(
        "adminDeleteReview",
        204,
        "DELETE",
        "/admin/v1/reviews/" + reviewId,
        null,
        "Authorization",
        auth);
    call(
        "adminDeleteReview",
        404,
        "DELETE",
        "/admin/v1/reviews/" + reviewId,
        null,
        "Authorization",
        auth);

    // every described operation was called and answered as documented, success included
    Set<String> all = new TreeSet<>();
    for (Operation op : contract.operations()) all.add(op.getOperationId());
    List<String> withoutSuccess =
        all.stream()
            .filter(op -> covered.getOrDefault(op, Set.of()).stream().noneMatch(s -> s < 400))
            .toList();
    failures.forEach(System.out::println);
    System.out.println("validated: " + covered);
    assertThat(failures).as("responses that do not match openapi.yaml").isEmpty();
    assertThat(withoutSuccess).as("operations without a validated success").isEmpty();
    assertThat(
            covered.values().stream()
                .mapToLong(s -> s.stream().filter(x -> x >= 400).count())
                .sum())
        .as("error answers validated")
        .isGreaterThan(60);
  }
}
