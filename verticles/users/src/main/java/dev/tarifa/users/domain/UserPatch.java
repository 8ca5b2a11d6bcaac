package dev.tarifa.users.domain;

import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** An admin change to a user: new roles and/or the disabled flag (null: unchanged). */
public record UserPatch(List<String> roles, Boolean disabled) {
  public static final int MAX_ROLES = 16;
  private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public static UserPatch fromJson(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!key.equals("roles") && !key.equals("disabled"))
        throw Problem.badRequest(key, "cannot be changed (only roles and disabled)");
    }
    List<String> roles = null;
    if (body.containsKey("roles")) {
      if (!(body.getValue("roles") instanceof JsonArray array))
        throw Problem.badRequest("roles", "must be an array of role names");
      if (array.size() > MAX_ROLES)
        throw Problem.badRequest("roles", "must have at most " + MAX_ROLES + " entries");
      Set<String> distinct = new LinkedHashSet<>();
      for (Object r : array) {
        if (!(r instanceof String s) || !ROLE.matcher(s).matches()) {
          throw Problem.badRequest(
              "roles", "entries must be lower-case names such as user or admin");
        }
        distinct.add(s);
      }
      roles = new ArrayList<>(distinct);
    }
    Boolean disabled = null;
    if (body.containsKey("disabled")) {
      if (!(body.getValue("disabled") instanceof Boolean b))
        throw Problem.badRequest("disabled", "must be true or false");
      disabled = b;
    }
    if (roles == null && disabled == null)
      throw Problem.badRequest("body", "must contain roles and/or disabled");
    return new UserPatch(roles, disabled);
  }
}
