package dev.tarifa.shared.search;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One name of what a cached answer depends on. Services name them in the {@link
 * SearchSummary#TAGS_HEADER} of an answer, offer-change events carry them, and the gateway evicts
 * by them; the factories below are the whole vocabulary, and {@link #value()} is the exact string
 * on the wire.
 *
 * <p>Instances are immutable; equal values are equal tags. A value is never blank and holds no
 * white space (the header separates tags by spaces).
 */
public record CacheTag(String value) {
  /** Every catalogue read (airports, airlines): evicted when reference data changes. */
  public static final CacheTag CATALOGUE = new CacheTag("catalogue");

  /**
   * @throws IllegalArgumentException if {@code value} is blank or contains white space
   */
  public CacheTag {
    Objects.requireNonNull(value, "value");
    // a plain loop: a search answer carries up to a few dozen tags, made and parsed on every miss
    boolean word = !value.isEmpty();
    for (int i = 0; word && i < value.length(); i++)
      if (Character.isWhitespace(value.charAt(i))) word = false;
    if (!word) throw new IllegalArgumentException("a cache tag is one word: '" + value + "'");
  }

  /**
   * {@code route:FRA-JFK}: a leg flown from {@code from} to {@code to}. Flight answers no longer
   * carry it (they name their pair, {@link #flights}); offer-change events of the leg still do, for
   * answers cached by earlier versions.
   */
  public static CacheTag route(String from, String to) {
    return new CacheTag("route:" + from + '-' + to);
  }

  /**
   * {@code flights:FRA-JFK}: the flight search of that pair, whatever its legs; a change of a leg
   * names every pair whose itineraries can contain it.
   */
  public static CacheTag flights(String from, String to) {
    return new CacheTag("flights:" + from + '-' + to);
  }

  /** {@code airline:LH}: an answer showing that airline (and its rating). */
  public static CacheTag airline(String iata) {
    return new CacheTag("airline:" + iata);
  }

  /** {@code hotels:city:<key>}: the hotel searches of a city. */
  public static CacheTag hotelCity(String cityKey) {
    return new CacheTag("hotels:city:" + cityKey);
  }

  /** {@code hotel:<id>}: an answer showing that hotel (and its rating). */
  public static CacheTag hotel(long id) {
    return new CacheTag("hotel:" + id);
  }

  /** {@code cars:station:<IATA>}: the car searches of a station. */
  public static CacheTag station(String iata) {
    return new CacheTag("cars:station:" + iata);
  }

  /** {@code cars:supplier:<code>}: an answer showing that car supplier (and its rating). */
  public static CacheTag supplier(String code) {
    return new CacheTag("cars:supplier:" + code);
  }

  /** The tags as a header value: values separated by one space, in the given order. */
  public static String header(Collection<CacheTag> tags) {
    StringBuilder sb = new StringBuilder();
    for (CacheTag t : tags) {
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(t.value);
    }
    return sb.toString();
  }

  /**
   * Reads what {@link #header} wrote (any white space separates; duplicates dropped; null or blank:
   * none).
   */
  public static List<CacheTag> parseHeader(String header) {
    if (header == null || header.isBlank()) return List.of();
    // a set keeps the first occurrence of each tag in header order, without a quadratic scan
    Set<CacheTag> tags = new LinkedHashSet<>();
    for (String word : header.trim().split("\\s+")) tags.add(new CacheTag(word));
    return List.copyOf(tags);
  }

  @Override
  public String toString() {
    return value;
  }
}
