package dev.tarifa.users.domain;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated sign-up: e-mail lower-cased, password untouched (spaces count), optional display
 * name.
 */
public record Registration(String email, String password, String name) {
  public static final int MAX_EMAIL = 254;
  public static final int MIN_PASSWORD = 12;
  public static final int MAX_PASSWORD = 128;
  public static final int MAX_NAME = 100;
  // Pragmatic subset of RFC 5321: dot-atom local part (max 64), a host name with at least one dot.
  private static final Pattern EMAIL =
      Pattern.compile(
          "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Validates the body; every failure is a 400 naming the field. */
  public static Registration fromJson(JsonObject body) {
    String email = email(body, "email");
    String password = string(body, "password");
    if (password == null) throw Problem.badRequest("password", "is required");
    int length = password.codePointCount(0, password.length());
    if (length < MIN_PASSWORD)
      throw Problem.badRequest("password", "must be at least " + MIN_PASSWORD + " characters");
    if (length > MAX_PASSWORD)
      throw Problem.badRequest("password", "must be at most " + MAX_PASSWORD + " characters");
    String name = string(body, "name");
    if (name != null) {
      name = name.strip();
      if (name.isEmpty()) name = null;
      else if (name.length() > MAX_NAME)
        throw Problem.badRequest("name", "must be at most " + MAX_NAME + " characters");
      else if (name.chars().anyMatch(Character::isISOControl))
        throw Problem.badRequest("name", "must not contain control characters");
    }
    return new Registration(email, password, name);
  }

  /** A required, well-formed e-mail, trimmed and lower-cased. */
  public static String email(JsonObject body, String field) {
    String raw = string(body, field);
    if (raw == null || raw.isBlank()) throw Problem.badRequest(field, "is required");
    String email = raw.strip().toLowerCase(Locale.ROOT);
    if (email.length() > MAX_EMAIL)
      throw Problem.badRequest(field, "must be at most " + MAX_EMAIL + " characters");
    int at = email.indexOf('@');
    if (at > 64 || !EMAIL.matcher(email).matches())
      throw Problem.badRequest(field, "must be an e-mail address");
    return email;
  }

  /** The field as a string, null when absent; any other JSON type is a 400. */
  public static String string(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw Problem.badRequest(field, "must be a string");
    return s;
  }

  @Override
  public String toString() {
    return "Registration[email=" + email + ", password=***, name=" + name + "]";
  }
}
