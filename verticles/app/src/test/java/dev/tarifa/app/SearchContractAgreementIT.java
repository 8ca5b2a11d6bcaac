package dev.tarifa.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.cars.CarsConfig;
import dev.tarifa.cars.CarsService;
import dev.tarifa.cars.CarsVerticle;
import dev.tarifa.flights.FlightsConfig;
import dev.tarifa.flights.FlightsService;
import dev.tarifa.flights.FlightsVerticle;
import dev.tarifa.gateway.GatewayConfig;
import dev.tarifa.gateway.GatewayShared;
import dev.tarifa.gateway.GatewayVerticle;
import dev.tarifa.hotels.HotelsConfig;
import dev.tarifa.hotels.HotelsService;
import dev.tarifa.hotels.HotelsVerticle;
import dev.tarifa.shared.auth.AuthConfig;
import dev.tarifa.shared.auth.JwtKeys;
import dev.tarifa.shared.config.Env;
import dev.tarifa.shared.launch.OfferServiceConfig;
import dev.tarifa.shared.pricing.CatalogueSize;
import dev.tarifa.shared.search.Horizon;
import dev.tarifa.shared.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The search contract holds at both ends: a table of bad and edge inputs, each sent to the gateway
 * and straight to the owning service (real services on their own databases, the small catalogue,
 * one fixed clock at 15:30 UTC), gets the same status and, for a rejection, the same problem (type,
 * title, status, detail, parameter); an accepted edge gets the same body. Rows the gateway cannot
 * judge alone (unknown airport, car class, city, station) are answered by the service and passed
 * through by the gateway, and so agree as well.
 */
class SearchContractAgreementIT {
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  private static final LocalTime NOW = LocalTime.of(15, 30);
  private static final Clock CLOCK =
      Clock.fixed(TODAY.atTime(NOW).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  private static final int H = Horizon.MAX_DAYS_AHEAD;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Vertx vertx;
  private static final Map<String, Integer> servicePorts = new HashMap<>();
  private static int gatewayPort;

  /** One row: the domain, the raw query string, and what is expected at both ends (the status). */
  private record Row(String name, String domain, String query, int status) {}

  private static String day(int days) {
    return TODAY.plusDays(days).toString();
  }

  private static String at(int days, int hour, int minute) {
    return LocalDateTime.of(TODAY.plusDays(days), LocalTime.of(hour, minute)).toString();
  }

  private static List<Row> table() {
    List<Row> t = new ArrayList<>();
    String route = "from=FRA&to=JFK&date=" + day(30);
    // flights
    t.add(new Row("flights: nothing", "flights", "", 400));
    t.add(new Row("flights: no to", "flights", "from=FRA", 400));
    t.add(new Row("flights: garbled from", "flights", "from=FR1&to=JFK&date=" + day(30), 400));
    t.add(
        new Row(
            "flights: from = to (other case)", "flights", "from=FRA&to=fra&date=" + day(30), 400));
    t.add(new Row("flights: no date", "flights", "from=FRA&to=JFK", 400));
    t.add(new Row("flights: garbled date", "flights", "from=FRA&to=JFK&date=2026-13-01", 400));
    t.add(new Row("flights: date words", "flights", "from=FRA&to=JFK&date=tomorrow", 400));
    t.add(new Row("flights: yesterday", "flights", "from=FRA&to=JFK&date=" + day(-1), 400));
    t.add(new Row("flights: today", "flights", "from=FRA&to=JFK&date=" + day(0), 200));
    t.add(
        new Row(
            "flights: last day of the horizon", "flights", "from=FRA&to=JFK&date=" + day(H), 200));
    t.add(
        new Row(
            "flights: a day past the horizon",
            "flights",
            "from=FRA&to=JFK&date=" + day(H + 1),
            400));
    t.add(new Row("flights: adults 0", "flights", route + "&adults=0", 400));
    t.add(new Row("flights: adults 10", "flights", route + "&adults=10", 400));
    t.add(new Row("flights: adults not a number", "flights", route + "&adults=two", 400));
    t.add(new Row("flights: adults 9", "flights", route + "&adults=9", 200));
    t.add(new Row("flights: unknown cabin", "flights", route + "&cabin=luxury", 400));
    t.add(new Row("flights: cabin upper-case", "flights", route + "&cabin=BUSINESS", 200));
    t.add(new Row("flights: maxStops 2", "flights", route + "&maxStops=2", 400));
    t.add(new Row("flights: unknown sort", "flights", route + "&sort=cheapest", 400));
    t.add(new Row("flights: sort upper-case", "flights", route + "&sort=DURATION", 200));
    t.add(new Row("flights: limit 0", "flights", route + "&limit=0", 400));
    t.add(new Row("flights: limit 51", "flights", route + "&limit=51", 400));
    t.add(new Row("flights: offset -1", "flights", route + "&offset=-1", 400));
    t.add(new Row("flights: offset 1001", "flights", route + "&offset=1001", 400));
    t.add(new Row("flights: offset 1000 (empty page)", "flights", route + "&offset=1000", 200));
    t.add(new Row("flights: unknown airport", "flights", "from=XXX&to=JFK&date=" + day(30), 400));
    t.add(
        new Row(
            "flights: unknown airport and a bad date",
            "flights",
            "from=XXX&to=JFK&date=" + day(-1),
            400));
    t.add(
        new Row(
            "flights: unknown destination, bad adults",
            "flights",
            "from=FRA&to=XXX&date=" + day(30) + "&adults=0",
            400));
    t.add(new Row("flights: valid", "flights", "to=jfk&from=fra&date=" + day(30), 200));
    // hotels
    String stay = "&checkIn=" + day(10) + "&checkOut=" + day(12);
    t.add(new Row("hotels: nothing", "hotels", "", 400));
    t.add(new Row("hotels: city and near", "hotels", "city=paris&near=CDG" + stay, 400));
    t.add(new Row("hotels: garbled near", "hotels", "near=C1G" + stay, 400));
    t.add(new Row("hotels: no checkIn", "hotels", "city=paris&checkOut=" + day(3), 400));
    t.add(
        new Row(
            "hotels: checkIn yesterday",
            "hotels",
            "city=paris&checkIn=" + day(-1) + "&checkOut=" + day(1),
            400));
    t.add(
        new Row(
            "hotels: checkIn today",
            "hotels",
            "city=paris&checkIn=" + day(0) + "&checkOut=" + day(1),
            200));
    t.add(
        new Row(
            "hotels: checkIn on the horizon",
            "hotels",
            "city=paris&checkIn=" + day(H) + "&checkOut=" + day(H + 2),
            200));
    t.add(
        new Row(
            "hotels: checkIn past the horizon",
            "hotels",
            "city=paris&checkIn=" + day(H + 1) + "&checkOut=" + day(H + 2),
            400));
    t.add(
        new Row(
            "hotels: checkOut = checkIn",
            "hotels",
            "city=paris&checkIn=" + day(5) + "&checkOut=" + day(5),
            400));
    t.add(
        new Row(
            "hotels: 30 nights",
            "hotels",
            "city=paris&checkIn=" + day(5) + "&checkOut=" + day(35),
            200));
    t.add(
        new Row(
            "hotels: 31 nights",
            "hotels",
            "city=paris&checkIn=" + day(5) + "&checkOut=" + day(36),
            400));
    t.add(new Row("hotels: guests 0", "hotels", "city=paris" + stay + "&guests=0", 400));
    t.add(new Row("hotels: rooms 6", "hotels", "city=paris" + stay + "&guests=9&rooms=6", 400));
    t.add(
        new Row(
            "hotels: more rooms than guests",
            "hotels",
            "city=paris" + stay + "&guests=2&rooms=3",
            400));
    t.add(new Row("hotels: minStars 6", "hotels", "city=paris" + stay + "&minStars=6", 400));
    t.add(new Row("hotels: unknown sort", "hotels", "city=paris" + stay + "&sort=cheap", 400));
    t.add(new Row("hotels: limit 51", "hotels", "city=paris" + stay + "&limit=51", 400));
    t.add(new Row("hotels: unknown city", "hotels", "city=atlantis" + stay, 400));
    t.add(new Row("hotels: no hotels near", "hotels", "near=XXX" + stay, 400));
    t.add(
        new Row(
            "hotels: valid, upper-case city", "hotels", "city=PARIS" + stay + "&guests=2", 200));
    t.add(new Row("hotels: valid near", "hotels", "near=ory" + stay, 200));
    // cars
    String rental = "location=JFK&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(13, 10, 0);
    t.add(new Row("cars: nothing", "cars", "", 400));
    t.add(
        new Row(
            "cars: garbled location",
            "cars",
            "location=J1K&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(13, 10, 0),
            400));
    t.add(
        new Row(
            "cars: garbled pickUp",
            "cars",
            "location=JFK&pickUp=" + day(10) + "%2010:00&dropOff=" + at(13, 10, 0),
            400));
    t.add(new Row("cars: no dropOff", "cars", "location=JFK&pickUp=" + at(10, 10, 0), 400));
    t.add(
        new Row(
            "cars: pickUp yesterday late",
            "cars",
            "location=JFK&pickUp=" + at(-1, 23, 59) + "&dropOff=" + at(2, 10, 0),
            400));
    t.add(
        new Row(
            "cars: pickUp today before now",
            "cars",
            "location=JFK&pickUp=" + at(0, 0, 0) + "&dropOff=" + at(2, 10, 0),
            200));
    t.add(
        new Row(
            "cars: pickUp on the horizon, earlier in the day than now",
            "cars",
            "location=JFK&pickUp=" + at(H, 14, 0) + "&dropOff=" + at(H + 2, 10, 0),
            200));
    t.add(
        new Row(
            "cars: pickUp on the horizon, later in the day than now",
            "cars",
            "location=JFK&pickUp=" + at(H, 16, 0) + "&dropOff=" + at(H + 2, 10, 0),
            200));
    t.add(
        new Row(
            "cars: pickUp past the horizon at midnight",
            "cars",
            "location=JFK&pickUp=" + at(H + 1, 0, 0) + "&dropOff=" + at(H + 2, 10, 0),
            400));
    t.add(
        new Row(
            "cars: dropOff = pickUp",
            "cars",
            "location=JFK&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(10, 10, 0),
            400));
    t.add(
        new Row(
            "cars: dropOff before pickUp",
            "cars",
            "location=JFK&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(9, 10, 0),
            400));
    t.add(
        new Row(
            "cars: 30 days to the minute",
            "cars",
            "location=JFK&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(40, 10, 0),
            200));
    t.add(
        new Row(
            "cars: 30 days and a minute",
            "cars",
            "location=JFK&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(40, 10, 1),
            400));
    t.add(new Row("cars: garbled class", "cars", rental + "&carClass=ab12", 400));
    t.add(new Row("cars: unknown class", "cars", rental + "&carClass=zzzz", 400));
    t.add(
        new Row(
            "cars: unknown class and a bad sort",
            "cars",
            rental + "&carClass=zzzz&sort=fast",
            400));
    t.add(new Row("cars: known class, lower-case", "cars", rental + "&carClass=ecmr", 200));
    t.add(
        new Row(
            "cars: no station",
            "cars",
            "location=XXX&pickUp=" + at(10, 10, 0) + "&dropOff=" + at(13, 10, 0),
            400));
    t.add(new Row("cars: limit 0", "cars", rental + "&limit=0", 400));
    t.add(new Row("cars: valid", "cars", rental + "&sort=CLASS", 200));
    return t;
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JwtKeys.KeyPairPem keys = JwtKeys.generateEs256();
    AuthConfig auth = AuthConfig.fromEnv(Env.of(Map.of())).withKeys(keys);
    FlightsConfig flights =
        new FlightsConfig(
            OfferServiceConfig.of(
                FlightsConfig.NAME,
                0,
                TestServers.freshPostgresDatabase("contract_agree_flights"),
                4,
                CatalogueSize.SMALL,
                42,
                auth));
    HotelsConfig hotels =
        new HotelsConfig(
            OfferServiceConfig.of(
                HotelsConfig.NAME,
                0,
                TestServers.freshPostgresDatabase("contract_agree_hotels"),
                4,
                CatalogueSize.SMALL,
                42,
                auth));
    CarsConfig cars =
        new CarsConfig(
            OfferServiceConfig.of(
                CarsConfig.NAME,
                0,
                TestServers.freshPostgresDatabase("contract_agree_cars"),
                4,
                CatalogueSize.SMALL,
                42,
                auth));
    await(
        Future.all(
            new FlightsService(flights).prepare(vertx),
            new HotelsService(hotels).prepare(vertx),
            new CarsService(cars).prepare(vertx)),
        240);
    FlightsVerticle f = new FlightsVerticle(flights, CLOCK);
    HotelsVerticle h = new HotelsVerticle(hotels, CLOCK);
    CarsVerticle c = new CarsVerticle(cars, CLOCK);
    await(
        Future.all(vertx.deployVerticle(f), vertx.deployVerticle(h), vertx.deployVerticle(c)), 60);
    servicePorts.put("flights", f.actualPort());
    servicePorts.put("hotels", h.actualPort());
    servicePorts.put("cars", c.actualPort());

    Map<String, String> env = new HashMap<>();
    env.put("TARIFA_GATEWAY_PORT", "0");
    env.put("TARIFA_RATE_LIMIT_RPS", "100000");
    env.put("TARIFA_RATE_LIMIT_BURST", "100000");
    env.put("TARIFA_UPSTREAM_TIMEOUT", "10s");
    env.put("TARIFA_CACHE_ORIGIN_TIMEOUT", "10s");
    env.put(AuthConfig.PUBLIC_KEY, keys.publicPem());
    servicePorts.forEach(
        (s, p) -> env.put("TARIFA_" + s.toUpperCase() + "_URL", "http://127.0.0.1:" + p));
    GatewayConfig config = GatewayConfig.fromEnv(Env.of(env));
    GatewayShared shared = await(GatewayShared.create(vertx, config), 30);
    GatewayVerticle g = new GatewayVerticle(config, shared, CLOCK);
    await(vertx.deployVerticle(g), 30);
    gatewayPort = g.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) await(vertx.close(), 30);
  }

  @TestFactory
  Stream<DynamicTest> theGatewayAndEachServiceGiveTheSameAnswer() {
    return table().stream()
        .map(
            row ->
                DynamicTest.dynamicTest(
                    row.name(),
                    () -> {
                      String path =
                          "/api/v1/"
                              + row.domain()
                              + "/search"
                              + (row.query().isEmpty() ? "" : "?" + row.query());
                      HttpResponse<String> atGateway = get(gatewayPort, path);
                      HttpResponse<String> atService = get(servicePorts.get(row.domain()), path);
                      assertThat(atService.statusCode())
                          .as("service: %s", atService.body())
                          .isEqualTo(row.status());
                      assertThat(atGateway.statusCode())
                          .as("gateway: %s", atGateway.body())
                          .isEqualTo(row.status());
                      JsonObject g = new JsonObject(atGateway.body()),
                          s = new JsonObject(atService.body());
                      if (row.status() == 200) {
                        assertThat(g).isEqualTo(s);
                      } else {
                        assertThat(g.getString("parameter"))
                            .as("names the parameter: %s", s)
                            .isNotBlank();
                        for (String field :
                            List.of("type", "title", "status", "detail", "parameter")) {
                          assertThat(g.getValue(field)).as(field).isEqualTo(s.getValue(field));
                        }
                      }
                    }));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> f, int seconds) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
