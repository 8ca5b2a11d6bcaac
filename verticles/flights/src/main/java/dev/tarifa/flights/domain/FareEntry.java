package dev.tarifa.flights.domain;

import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/**
 * A stored provider fare as the admin API sees it: base amount per adult in EUR cents (see {@link
 * Pricing}).
 */
public record FareEntry(long flightId, Cabin cabin, String provider, long amount, int version) {
  public static final String COLUMNS = "flight_id, cabin, provider, amount, version";

  public static FareEntry of(Row r) {
    return new FareEntry(
        r.getLong(0), Cabin.of(r.getString(1)), r.getString(2), r.getLong(3), r.getInteger(4));
  }

  public JsonObject toJson(Reference ref) {
    Provider p = ref.providers().getOrDefault(provider, new Provider(provider, provider));
    return new JsonObject()
        .put("flightId", flightId)
        .put("cabin", cabin.code())
        .put("provider", p.toJson())
        .put("amount", Money.eur(amount).toJson())
        .put("version", version);
  }
}
