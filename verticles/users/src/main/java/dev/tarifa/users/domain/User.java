package dev.tarifa.users.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * An account as the API shows it. The password hash is deliberately not a component, so it cannot
 * leak into a response; {@link Credentials} carries it for login only.
 */
public record User(
    long id,
    String email,
    String name,
    List<String> roles,
    boolean disabled,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    int version) {
  /** The columns {@link #from(Row)} reads. */
  public static final String COLUMNS =
      "id, email, name, roles, disabled, created_at, updated_at, version";

  public static User from(Row row) {
    String[] roles = row.getArrayOfStrings("roles");
    return new User(
        row.getLong("id"),
        row.getString("email"),
        row.getString("name"),
        roles == null ? List.of() : Arrays.asList(roles),
        row.getBoolean("disabled"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        row.getInteger("version"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", String.valueOf(id)).put("email", email);
    if (name != null) json.put("name", name);
    return json.put("roles", new JsonArray(List.copyOf(roles)))
        .put("disabled", disabled)
        .put("createdAt", createdAt.toInstant().toString())
        .put("updatedAt", updatedAt.toInstant().toString())
        .put("version", version);
  }

  /** The strong ETag of this version: {@code "<version>"}. */
  public String etag() {
    return "\"" + version + "\"";
  }

  /** A user with its stored password hash (login only). */
  public record Credentials(User user, String passwordHash) {
    @Override
    public String toString() {
      return "Credentials[user=" + user.id() + ", passwordHash=***]";
    }
  }
}
