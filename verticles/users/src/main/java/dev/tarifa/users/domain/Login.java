package dev.tarifa.users.domain;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;

/** A validated login request: e-mail lower-cased, password untouched. */
public record Login(String email, String password) {
  /** Validates the body; every failure is a 400 naming the field. */
  public static Login fromJson(JsonObject body) {
    String email = Registration.email(body, "email");
    String password = Registration.string(body, "password");
    if (password == null || password.isEmpty()) throw Problem.badRequest("password", "is required");
    // Bounds the hashing work a request can ask for, well above any password registration accepts.
    if (password.length() > 4 * Registration.MAX_PASSWORD)
      throw Problem.badRequest("password", "is too long");
    return new Login(email, password);
  }

  @Override
  public String toString() {
    return "Login[email=" + email + ", password=***]";
  }
}
