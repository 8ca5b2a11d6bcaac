package dev.tarifa.shared.search;

import dev.tarifa.shared.money.Money;
import dev.tarifa.shared.pricing.OfferComparison;
import io.vertx.core.MultiMap;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a search answer holds, told apart from its body: how many results, the cheapest price among
 * them, and the tags naming what the answer depends on. The owning service {@link #writeTo writes}
 * it in response headers next to the body and the gateway {@link #read reads} it back from them, so
 * the gateway never parses a body to learn whether an answer is empty or how to tag it. The header
 * names are defined here only.
 *
 * <p>Headers: {@value #COUNT_HEADER} (the number of results in this answer's {@code results}),
 * {@value #CHEAPEST_HEADER} ({@code <minor units> <currency>}, absent when there are no results)
 * and {@value #TAGS_HEADER} (space-separated {@link CacheTag} values). Instances are immutable.
 *
 * @param count the results in this answer (this page), at least 0
 * @param cheapest the lowest price among them, empty exactly when {@code count} is 0
 * @param tags what the answer depends on, in header order, without duplicates
 */
public record SearchSummary(int count, Optional<Money> cheapest, List<CacheTag> tags) {
  public static final String COUNT_HEADER = "X-Search-Count";
  public static final String CHEAPEST_HEADER = "X-Search-Cheapest";
  public static final String TAGS_HEADER = "X-Cache-Tags";

  /**
   * @throws IllegalArgumentException if {@code count} is negative, or {@code cheapest} is present
   *     for no results or absent for some
   */
  public SearchSummary {
    Objects.requireNonNull(cheapest, "cheapest");
    if (count < 0) throw new IllegalArgumentException("count must not be negative: " + count);
    if ((count == 0) != cheapest.isEmpty())
      throw new IllegalArgumentException("a cheapest price goes with results, and only with them");
    tags = List.copyOf(tags.stream().distinct().toList());
  }

  /** The summary of an answer whose results are {@code page} (each product's compared offers). */
  public static SearchSummary of(Collection<OfferComparison> page, List<CacheTag> tags) {
    Optional<Money> cheapest = page.stream().map(c -> c.cheapest().price()).min(Money::compareTo);
    return new SearchSummary(page.size(), cheapest, tags);
  }

  /** No results: the gateway caches such an answer only briefly. */
  public boolean empty() {
    return count == 0;
  }

  /** The tag values, as the cache and events carry them. */
  public Set<String> tagValues() {
    return tags.stream().map(CacheTag::value).collect(Collectors.toUnmodifiableSet());
  }

  /** Sets the three headers on a response (replacing earlier values). */
  public void writeTo(MultiMap headers) {
    headers.set(COUNT_HEADER, Integer.toString(count));
    if (cheapest.isPresent())
      headers.set(CHEAPEST_HEADER, cheapest.get().amount() + " " + cheapest.get().currency());
    else headers.remove(CHEAPEST_HEADER);
    headers.set(TAGS_HEADER, CacheTag.header(tags));
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws IllegalArgumentException if the count is missing or malformed, or the cheapest price is
   *     malformed or does not agree with the count
   */
  public static SearchSummary read(MultiMap headers) {
    String count = headers.get(COUNT_HEADER);
    if (count == null) throw new IllegalArgumentException("no " + COUNT_HEADER + " header");
    int n;
    try {
      n = Integer.parseInt(count.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed " + COUNT_HEADER + ": " + count);
    }
    return new SearchSummary(
        n, money(headers.get(CHEAPEST_HEADER)), CacheTag.parseHeader(headers.get(TAGS_HEADER)));
  }

  private static Optional<Money> money(String header) {
    if (header == null || header.isBlank()) return Optional.empty();
    String[] parts = header.trim().split(" ");
    try {
      if (parts.length == 2) return Optional.of(new Money(Long.parseLong(parts[0]), parts[1]));
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new IllegalArgumentException("malformed " + CHEAPEST_HEADER + ": " + header);
  }
}
