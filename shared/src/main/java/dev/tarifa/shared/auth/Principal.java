package dev.tarifa.shared.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The authenticated caller, taken from a verified token.
 *
 * @param subject the {@code sub} claim (the user id)
 * @param email the {@code email} claim (may be null)
 * @param roles the {@code roles} claim (never null)
 */
public record Principal(String subject, String email, Set<String> roles) {
  static final String CONTEXT_KEY = "tarifa.principal";

  public Principal {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  /**
   * The principal stored by {@link JwtVerifier#requireUser()}, or null when the request was not
   * authenticated.
   */
  public static Principal of(RoutingContext ctx) {
    return ctx.get(CONTEXT_KEY);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
