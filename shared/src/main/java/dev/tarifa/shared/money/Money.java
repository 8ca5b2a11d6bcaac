package dev.tarifa.shared.money;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An amount in integer minor units (cents) of an ISO 4217 currency. Never a float. Arithmetic only
 * between the same currency.
 */
public record Money(long amount, String currency) implements Comparable<Money> {
  public static final String EUR = "EUR";

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (currency.length() != 3)
      throw new IllegalArgumentException("currency must be an ISO 4217 code: " + currency);
  }

  public static Money eur(long cents) {
    return new Money(cents, EUR);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.addExact(amount, other.amount), currency);
  }

  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(Math.subtractExact(amount, other.amount), currency);
  }

  public Money times(long factor) {
    return new Money(Math.multiplyExact(amount, factor), currency);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency))
      throw new IllegalArgumentException(currency + " vs " + other.currency);
  }

  @Override
  public int compareTo(Money o) {
    requireSameCurrency(o);
    return Long.compare(amount, o.amount);
  }

  public JsonObject toJson() {
    return new JsonObject().put("amount", amount).put("currency", currency);
  }

  public static Money fromJson(JsonObject json) {
    return new Money(json.getLong("amount"), json.getString("currency"));
  }
}
