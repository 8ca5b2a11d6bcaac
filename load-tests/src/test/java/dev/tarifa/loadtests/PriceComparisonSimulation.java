package dev.tarifa.loadtests;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.tarifa.loadtests.QueryMix.Kind;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Flight, hotel and car searches through the gateway in a fixed mix ({@code -Dmix=60/25/15}:
 * flights / hotels / cars, in percent of {@code rate}), each kind its own open-model arrival stream
 * from the Zipf {@link QueryMix}. Asserts p95, p99 and failed percentage per search kind ("flight
 * search", "hotel search", "car search").
 */
public class PriceComparisonSimulation extends Simulation {
  private final QueryMix mix = QueryMix.fromSystemProperties();

  {
    double[] shares = mix(System.getProperty("mix", "60/25/15"));
    HttpProtocolBuilder protocol = Protocols.http();
    List<PopulationBuilder> populations = new ArrayList<>();
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(Knobs.someRequests());
    add(populations, assertions, Kind.FLIGHT, "flights", "flight", shares[0]);
    add(populations, assertions, Kind.HOTEL, "hotels", "hotel", shares[1]);
    add(populations, assertions, Kind.CAR, "cars", "car", shares[2]);
    setUp(populations).protocols(protocol).assertions(assertions);
  }

  private void add(
      List<PopulationBuilder> populations,
      List<Assertion> assertions,
      Kind kind,
      String service,
      String key,
      double share) {
    if (share <= 0) return;
    String name = key + " search";
    ScenarioBuilder s =
        scenario(key + " searches")
            .feed(mix.feeder(kind))
            .exec(
                http(name)
                    .get(Knobs.urlFor(service) + "#{path}")
                    .check(status().is(200), jsonPath("$.results").exists()));
    populations.add(s.injectOpen(Knobs.injection(share)));
    assertions.addAll(Knobs.assertionsFor(name, key));
  }

  /** {@code 60/25/15} as fractions summing to 1. */
  static double[] mix(String spec) {
    return QueryMix.shares(spec);
  }
}
