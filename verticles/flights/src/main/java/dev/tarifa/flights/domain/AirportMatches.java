package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The airports an autocomplete query matched, busiest first, with the query echoed. */
public record AirportMatches(String query, List<Airport> results) {
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Airport a : results) list.add(a.toJson());
    return new JsonObject().put("query", query).put("results", list);
  }
}
