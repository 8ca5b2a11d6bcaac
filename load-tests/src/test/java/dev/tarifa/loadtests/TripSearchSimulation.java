package dev.tarifa.loadtests;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.tarifa.loadtests.QueryMix.Kind;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Trip searches ({@code /api/v1/trips/search}: round trips, the flights there and back + hotel +
 * car at the destination, fanned out by the gateway) on real routes with a return 1–14 days later.
 * Asserts p95, p99 and failed percentage of "trip search" (key {@code trip}; default p95 800 ms,
 * p99 1500 ms: four legs, each possibly a miss). A trip search succeeds when it answers 200, not
 * degraded (the gateway still answers 200 when a leg failed or timed out, naming it in {@code
 * failedLegs}: under overload that is the failure to count), with outbound flights on the route (a
 * real route) and at least one bundle.
 */
public class TripSearchSimulation extends Simulation {
  private final QueryMix mix = QueryMix.fromSystemProperties();

  {
    ScenarioBuilder trips =
        scenario("trip searches")
            .feed(mix.feeder(Kind.TRIP))
            .exec(
                http("trip search")
                    .get(Knobs.urlFor("trips") + "#{path}")
                    .check(
                        status().is(200),
                        jsonPath("$.degraded").ofBoolean().is(false),
                        jsonPath("$.legs.outbound.count").ofInt().gt(0),
                        jsonPath("$.bundles[0].total.amount").ofLong().gt(0L)));
    if (System.getProperty("trip.p95Ms") == null) System.setProperty("trip.p95Ms", "800");
    if (System.getProperty("trip.p99Ms") == null) System.setProperty("trip.p99Ms", "1500");
    List<Assertion> assertions = new ArrayList<>(Knobs.assertionsFor("trip search", "trip"));
    assertions.add(Knobs.someRequests());
    setUp(trips.injectOpen(Knobs.injection(1.0)))
        .protocols(Protocols.http())
        .assertions(assertions);
  }
}
