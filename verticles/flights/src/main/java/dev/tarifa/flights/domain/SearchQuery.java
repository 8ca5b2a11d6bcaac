package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonObject;

import java.time.LocalDate;

/** A validated, normalised flight search. */
public record SearchQuery(String from, String to, LocalDate date, int adults, Cabin cabin, int maxStops, Sort sort,
                          int limit, int offset) {
  public enum Sort { PRICE, DEPARTURE, DURATION }

  public JsonObject toJson() {
    return new JsonObject().put("from", from).put("to", to).put("date", date.toString()).put("adults", adults)
      .put("cabin", cabin.code()).put("maxStops", maxStops).put("sort", sort.name().toLowerCase())
      .put("limit", limit).put("offset", offset);
  }
}
