package dev.tarifa.flights.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cabin classes; {@link #code()} is the value used in queries, JSON and the {@code fares.cabin}
 * column.
 */
public enum Cabin {
  ECONOMY,
  PREMIUM,
  BUSINESS,
  FIRST;

  public static final Set<String> CODES =
      Arrays.stream(values()).map(Cabin::code).collect(Collectors.toUnmodifiableSet());

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Cabin of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
