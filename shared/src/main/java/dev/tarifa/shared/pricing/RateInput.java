package dev.tarifa.shared.pricing;

import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.money.Money;
import io.vertx.core.json.JsonObject;

/** Validated reading of admin rate bodies. */
public final class RateInput {
  public static final long MIN_AMOUNT = 100, MAX_AMOUNT = 10_000_000;

  private RateInput() {}

  /**
   * The EUR money object {@code {"amount": <minor units>, "currency": "EUR"}} at {@code name} of
   * {@code body}. Throws a 400 {@link Problem} naming {@code name}, {@code name.amount} (not an
   * integer, or outside {@value #MIN_AMOUNT}..{@value #MAX_AMOUNT}) or {@code name.currency} (not
   * EUR).
   */
  public static Money eur(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (!(v instanceof JsonObject m))
      throw Problem.badRequest(name, "must be an object {amount, currency}");
    Object amount = m.getValue("amount");
    if (!(amount instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw Problem.badRequest(name + ".amount", "must be an integer number of minor units");
    }
    long a = n.longValue();
    if (a < MIN_AMOUNT || a > MAX_AMOUNT)
      throw Problem.badRequest(
          name + ".amount", "must be between " + MIN_AMOUNT + " and " + MAX_AMOUNT);
    if (!Money.EUR.equals(m.getValue("currency")))
      throw Problem.badRequest(name + ".currency", "must be EUR");
    return Money.eur(a);
  }
}
