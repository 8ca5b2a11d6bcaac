package dev.tarifa.reviews.domain;

import dev.tarifa.shared.http.Problem;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a review is about: a hotel ({@code hotel:123}), a car rental supplier ({@code
 * carsupplier:SIXT}) or an airline ({@code airline:LH}). The string form is also the event tag of
 * everything that concerns the subject.
 */
public record Subject(Kind kind, String id) {
  /** The kinds of subject and the service that owns each. */
  public enum Kind {
    HOTEL("hotel", Pattern.compile("[1-9][0-9]{0,17}")),
    CAR_SUPPLIER("carsupplier", Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}[A-Za-z0-9])?")),
    AIRLINE("airline", Pattern.compile("[A-Z0-9]{2}"));

    private final String prefix;
    private final Pattern id;

    Kind(String prefix, Pattern id) {
      this.prefix = prefix;
      this.id = id;
    }

    public String prefix() {
      return prefix;
    }
  }

  private static final Pattern FORM = Pattern.compile("([a-z]+):(.+)");

  /**
   * Parses {@code value} strictly; airline codes are upper-cased, nothing else is changed.
   *
   * @throws Problem a 400 naming {@code parameter} when the value is absent or not one of the three
   *     forms
   */
  public static Subject parse(String parameter, String value) {
    if (value == null || value.isBlank()) throw Problem.badRequest(parameter, "is required");
    Matcher m = FORM.matcher(value.trim());
    if (!m.matches()) throw invalid(parameter);
    String prefix = m.group(1);
    String id = m.group(2);
    for (Kind kind : Kind.values()) {
      if (!kind.prefix.equals(prefix)) continue;
      String normalised = kind == Kind.AIRLINE ? id.toUpperCase(Locale.ROOT) : id;
      if (!kind.id.matcher(normalised).matches()) throw invalid(parameter);
      return new Subject(kind, normalised);
    }
    throw invalid(parameter);
  }

  private static Problem invalid(String parameter) {
    return Problem.badRequest(
        parameter,
        "must be hotel:<numeric id>, carsupplier:<code> or airline:<2-character IATA code>");
  }

  @Override
  public String toString() {
    return kind.prefix + ":" + id;
  }
}
