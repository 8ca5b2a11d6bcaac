package dev.tarifa.shared.search;

import dev.tarifa.shared.cache.CacheKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated, normalised search of one domain: codes upper-cased, dates parsed and re-printed as
 * ISO, defaults filled. The gateway and the owning service parse a request with the same {@code
 * parse} method, so the same input gets the same answer (the same value, or the same 400 naming the
 * same parameter) at both.
 *
 * <p>Two requests that mean the same search give equal {@link #params()}, hence the same {@link
 * #key()} and the same upstream {@link #uri()}, whatever their parameter order, case or omitted
 * defaults; parsing {@link #uri()}'s parameters again gives an equal query. Implementations are
 * immutable records.
 */
public sealed interface SearchQuery permits FlightQuery, HotelQuery, CarQuery {
  /** Every search: {@code offset} beyond this is a 400. */
  int MAX_OFFSET = 1000;

  /**
   * Every search: at most this many results a page ({@code limit}, default {@link #DEFAULT_LIMIT}).
   */
  int MAX_LIMIT = 50;

  int DEFAULT_LIMIT = 20;

  /** The owning service and cache policy: {@code flights}, {@code hotels} or {@code cars}. */
  String domain();

  /** The canonical parameters, every default filled in; an absent optional filter is left out. */
  Map<String, String> params();

  /** The public (and internal) search path. */
  default String path() {
    return "/api/v1/" + domain() + "/search";
  }

  /** The cache key: the domain and {@link #params()}. */
  default CacheKey key() {
    return CacheKey.of(domain(), params());
  }

  /**
   * Path and canonical query string (parameters sorted, values URL-encoded) sent to the owning
   * service.
   */
  default String uri() {
    StringBuilder sb = new StringBuilder(path()).append('?');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(params()).entrySet()) {
      if (!first) sb.append('&');
      first = false;
      sb.append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
