package dev.tarifa.cars.domain;

import io.vertx.core.json.JsonObject;

/** A car class offered at a station, as the admin API answers its creation. */
public record StationClass(String station, String code, int version) {
  public JsonObject toJson() {
    return new JsonObject().put("station", station).put("code", code).put("version", version);
  }
}
