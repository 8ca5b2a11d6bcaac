package dev.tarifa.shared.http;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validated access to query parameters (or a JSON body, through {@link #of(JsonObject)}). Every
 * method either returns a normalised value or throws a {@link Problem} 400 that names the
 * parameter, so handlers validate in straight-line code and let the failure handler answer (see
 * {@link Routers#async}).
 */
public final class Params {
  public static final int MAX_STRING = 200;
  private static final Pattern IATA_AIRPORT = Pattern.compile("[A-Z]{3}");

  private final java.util.function.Function<String, String> source;

  private Params(java.util.function.Function<String, String> source) {
    this.source = source;
  }

  public static Params of(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    return new Params(q::get);
  }

  /**
   * The path parameters of the route that matched ({@code /admin/v1/hotels/:id}), validated like
   * query parameters.
   */
  public static Params path(RoutingContext ctx) {
    return new Params(ctx::pathParam);
  }

  public static Params of(MultiMap query) {
    return new Params(query::get);
  }

  public static Params of(JsonObject body) {
    return new Params(
        k -> {
          Object v = body == null ? null : body.getValue(k);
          return v == null ? null : String.valueOf(v);
        });
  }

  /**
   * The raw value, trimmed, or null when absent or blank; longer than {@link #MAX_STRING} is a 400.
   */
  public String raw(String name) {
    String v = source.apply(name);
    if (v == null) return null;
    v = v.trim();
    if (v.isEmpty()) return null;
    if (v.length() > MAX_STRING)
      throw Problem.badRequest(name, "is longer than " + MAX_STRING + " characters");
    return v;
  }

  public String required(String name) {
    String v = raw(name);
    if (v == null) throw Problem.badRequest(name, "is required");
    return v;
  }

  /** Like {@link #required(String)}, and at most {@code maxLength} characters. */
  public String required(String name, int maxLength) {
    String v = required(name);
    if (v.length() > maxLength)
      throw Problem.badRequest(name, "is longer than " + maxLength + " characters");
    return v;
  }

  public String string(String name, int maxLength, String defaultValue) {
    String v = raw(name);
    if (v == null) return defaultValue;
    if (v.length() > maxLength)
      throw Problem.badRequest(name, "is longer than " + maxLength + " characters");
    return v;
  }

  /** A three-letter IATA airport code, upper-cased. */
  public String airport(String name) {
    String v = required(name).toUpperCase(Locale.ROOT);
    if (!IATA_AIRPORT.matcher(v).matches())
      throw Problem.badRequest(name, "must be a three-letter IATA airport code");
    return v;
  }

  public String optionalAirport(String name) {
    return raw(name) == null ? null : airport(name);
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String v = raw(name);
    if (v == null) return defaultValue;
    return parseInt(name, v, min, max);
  }

  public int requiredInteger(String name, int min, int max) {
    return parseInt(name, required(name), min, max);
  }

  public long requiredLong(String name, long min, long max) {
    String v = required(name);
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max)
        throw Problem.badRequest(name, "must be between " + min + " and " + max);
      return n;
    } catch (NumberFormatException e) {
      throw Problem.badRequest(name, "must be an integer");
    }
  }

  /**
   * A row id: a positive integer (1 to {@link Long#MAX_VALUE}); anything else, absence included, is
   * one 400.
   */
  public long id(String name) {
    String v = source.apply(name);
    if (v != null) {
      try {
        long id = Long.parseLong(v);
        if (id > 0) return id;
      } catch (NumberFormatException e) {
        // answered below, like a non-positive id
      }
    }
    throw Problem.badRequest(name, "must be a positive integer");
  }

  private static int parseInt(String name, String v, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw Problem.badRequest(name, "must be an integer");
    }
    if (n < min || n > max)
      throw Problem.badRequest(name, "must be between " + min + " and " + max);
    return n;
  }

  /** A required finite decimal number from {@code min} to {@code max} (a latitude: -90 to 90). */
  public double decimal(String name, int min, int max) {
    String v = required(name);
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && d >= min && d <= max) return d;
    } catch (NumberFormatException e) {
      // answered below, like a number out of range
    }
    throw Problem.badRequest(name, "must be a number between " + min + " and " + max);
  }

  /** One of {@code allowed} (case-insensitive), lower-cased; {@code defaultValue} when absent. */
  public String oneOf(String name, Set<String> allowed, String defaultValue) {
    String v = raw(name);
    if (v == null) return defaultValue;
    String lower = v.toLowerCase(Locale.ROOT);
    if (!allowed.contains(lower))
      throw Problem.badRequest(name, "must be one of " + allowed.stream().sorted().toList());
    return lower;
  }

  /** An ISO date (yyyy-MM-dd). */
  public LocalDate date(String name) {
    String v = required(name);
    try {
      return isoDate(v);
    } catch (DateTimeException e) {
      throw Problem.badRequest(name, "must be a date as yyyy-MM-dd");
    }
  }

  /**
   * {@code yyyy-MM-dd} read directly (the common case, about 20 times cheaper than the formatter);
   * anything else goes through {@link LocalDate#parse}, so the accepted language is exactly
   * ISO_LOCAL_DATE's.
   */
  static LocalDate isoDate(String v) {
    if (v.length() == 10 && v.charAt(4) == '-' && v.charAt(7) == '-') {
      int y = digits(v, 0, 4), m = digits(v, 5, 7), d = digits(v, 8, 10);
      if (y >= 0 && m >= 0 && d >= 0) return LocalDate.of(y, m, d);
    }
    return LocalDate.parse(v);
  }

  private static int digits(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** An ISO date from today up to {@code maxDaysAhead} days ahead (travel dates). */
  public LocalDate travelDate(String name, Clock clock, int maxDaysAhead) {
    return withinDaysAhead(name, date(name), clock, maxDaysAhead);
  }

  /**
   * {@code d} when it is from today up to {@code maxDaysAhead} days ahead on {@code clock};
   * otherwise a 400 naming {@code name} ("must not be in the past", "must be at most N days
   * ahead").
   */
  public static LocalDate withinDaysAhead(String name, LocalDate d, Clock clock, int maxDaysAhead) {
    LocalDate today = Today.of(clock);
    if (d.isBefore(today)) throw Problem.badRequest(name, "must not be in the past");
    if (d.isAfter(today.plusDays(maxDaysAhead)))
      throw Problem.badRequest(name, "must be at most " + maxDaysAhead + " days ahead");
    return d;
  }

  /** An ISO local date-time (yyyy-MM-ddTHH:mm), seconds dropped. */
  public LocalDateTime dateTime(String name) {
    String v = required(name);
    try {
      return LocalDateTime.parse(v).withSecond(0).withNano(0);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name, "must be a date-time as yyyy-MM-ddTHH:mm");
    }
  }

  public boolean bool(String name, boolean defaultValue) {
    String v = raw(name);
    if (v == null) return defaultValue;
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw Problem.badRequest(name, "must be true or false");
    };
  }

  /**
   * Today's date on a clock, recomputed only when the day may have changed (LocalDate.now costs a
   * zone lookup).
   */
  private record Today(Clock clock, long fromMillis, long untilMillis, LocalDate date) {
    private static volatile Today last;

    static LocalDate of(Clock clock) {
      long now = clock.millis();
      Today t = last;
      if (t != null && t.clock == clock && now >= t.fromMillis && now < t.untilMillis)
        return t.date;
      LocalDate date = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now), clock.getZone());
      long from = date.atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
      long until = date.plusDays(1).atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
      last = new Today(clock, from, until, date);
      return date;
    }
  }
}
