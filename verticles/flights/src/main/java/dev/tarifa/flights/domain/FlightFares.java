package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Every provider fare of one scheduled flight, as the admin API lists them. */
public record FlightFares(long flightId, List<FareEntry> results) {
  /** The JSON answer; {@code ref} names each fare's provider ({@link FareEntry#toJson}). */
  public JsonObject toJson(Reference ref) {
    JsonArray list = new JsonArray();
    for (FareEntry f : results) list.add(f.toJson(ref));
    return new JsonObject().put("flightId", flightId).put("results", list);
  }
}
