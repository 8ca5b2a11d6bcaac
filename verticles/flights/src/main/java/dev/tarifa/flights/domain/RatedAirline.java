package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonObject;

/**
 * An airline with its rating ({@code {average, count}}), or null for an airline nobody rated yet.
 */
public record RatedAirline(Airline airline, JsonObject rating) {
  public JsonObject toJson() {
    return airline.toJson().put("rating", rating);
  }
}
