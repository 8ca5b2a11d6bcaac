package dev.tarifa.flights.domain;

import dev.tarifa.shared.catalogue.OpenFlights;
import dev.tarifa.shared.http.Params;
import dev.tarifa.shared.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A scheduled flight as the admin API sees it. JSON: {@code airline}, {@code number}, {@code from},
 * {@code to}, {@code departure} ("HH:mm" local at the origin), {@code durationMinutes}, {@code
 * days} (ISO weekdays 1 = Monday .. 7 = Sunday), plus {@code id}, {@code flight}, {@code
 * distanceKm} and {@code version} on answers.
 */
public record Schedule(
    long id,
    String airline,
    int number,
    String from,
    String to,
    int depLocal,
    int duration,
    int days,
    int distanceKm,
    int version) {
  public static final String COLUMNS =
      "id, airline, number, origin, destination, dep_local, duration, days, distance_km, version";

  public static Schedule of(Row r) {
    return new Schedule(
        r.getLong(0),
        r.getString(1),
        r.getInteger(2),
        r.getString(3),
        r.getString(4),
        r.getInteger(5),
        r.getInteger(6),
        r.getInteger(7),
        r.getInteger(8),
        r.getInteger(9));
  }

  /**
   * Validates a create/replace body against the catalogue; every failure is a 400 naming the field.
   */
  public static Schedule parse(JsonObject body, Reference ref) {
    Params p = Params.of(body);
    String airline = p.required("airline").toUpperCase(Locale.ROOT);
    if (!ref.airlines().containsKey(airline))
      throw Problem.badRequest("airline", "unknown airline " + airline);
    int number = p.requiredInteger("number", 1, 99999);
    String from = p.airport("from");
    if (!ref.airports().containsKey(from))
      throw Problem.badRequest("from", "unknown airport " + from);
    String to = p.airport("to");
    if (!ref.airports().containsKey(to)) throw Problem.badRequest("to", "unknown airport " + to);
    if (from.equals(to)) throw Problem.badRequest("to", "must differ from 'from'");
    LocalTime dep;
    try {
      dep = LocalTime.parse(p.required("departure"));
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("departure", "must be a local time as HH:mm");
    }
    int duration = p.requiredInteger("durationMinutes", 5, 1440);
    int days = parseDays(body.getValue("days"));
    Airport a = ref.airports().get(from), b = ref.airports().get(to);
    int km = (int) Math.round(OpenFlights.distanceKm(a.toOpenFlights(), b.toOpenFlights()));
    return new Schedule(
        0, airline, number, from, to, dep.getHour() * 60 + dep.getMinute(), duration, days, km, 0);
  }

  private static int parseDays(Object value) {
    if (value == null) return 0x7F;
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > 7) {
      throw Problem.badRequest(
          "days", "must be a non-empty array of ISO weekdays 1 (Monday) to 7 (Sunday)");
    }
    int mask = 0;
    for (Object o : array) {
      if (!(o instanceof Integer d) || d < 1 || d > 7)
        throw Problem.badRequest("days", "must contain ISO weekdays 1 to 7");
      mask |= 1 << (d - 1);
    }
    return mask;
  }

  public String flight() {
    return airline + number;
  }

  public JsonObject toJson() {
    JsonArray dayList = new JsonArray();
    for (DayOfWeek d : DayOfWeek.values())
      if ((days & (1 << (d.getValue() - 1))) != 0) dayList.add(d.getValue());
    return new JsonObject()
        .put("id", id)
        .put("flight", flight())
        .put("airline", airline)
        .put("number", number)
        .put("from", from)
        .put("to", to)
        .put("departure", LocalTime.of(depLocal / 60, depLocal % 60).toString())
        .put("durationMinutes", duration)
        .put("days", dayList)
        .put("distanceKm", distanceKm)
        .put("version", version);
  }
}
