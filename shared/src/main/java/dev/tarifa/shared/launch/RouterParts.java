package dev.tarifa.shared.launch;

import dev.tarifa.shared.auth.JwtVerifier;
import dev.tarifa.shared.health.Health;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;

/**
 * What a service's router is built over, besides its service layer: the parts its verticle owns
 * (for the offer services, {@link OfferServiceVerticle}). All belong to one verticle instance.
 *
 * @param vertx the verticle's Vert.x instance (for {@link dev.tarifa.shared.http.Routers#create})
 * @param health the instance's health, served by the router's probes
 * @param auth verifies the bearer tokens of the routes that need a user or a role
 * @param clock today's date for search validation and pricing (tests fix it)
 */
public record RouterParts(Vertx vertx, Health health, JwtVerifier auth, Clock clock) {
  /**
   * @throws NullPointerException if any component is null
   */
  public RouterParts {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(clock, "clock");
  }
}
