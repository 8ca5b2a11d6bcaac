package dev.tarifa.users.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One page of users as the admin API lists them, the total matching, and the page's bounds. */
public record UserPage(List<User> users, long total, int limit, int offset) {
  public JsonObject toJson() {
    JsonArray results = new JsonArray();
    for (User u : users) results.add(u.toJson());
    return new JsonObject()
        .put("results", results)
        .put("total", total)
        .put("limit", limit)
        .put("offset", offset);
  }
}
