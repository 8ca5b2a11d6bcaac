package dev.tarifa.flights.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The schedules of one route as the admin API lists them, with the route echoed. */
public record ScheduleList(String from, String to, List<Schedule> results) {
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Schedule s : results) list.add(s.toJson());
    return new JsonObject().put("from", from).put("to", to).put("results", list);
  }
}
