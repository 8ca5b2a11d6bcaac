package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonObject;

public record Airline(String iata, String name, String country) {
  public JsonObject toJson() {
    return new JsonObject().put("iata", iata).put("name", name).put("country", country);
  }

  public JsonObject toRef() {
    return new JsonObject().put("code", iata).put("name", name);
  }
}
