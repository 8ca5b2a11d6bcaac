package dev.tarifa.gateway.domain;

import dev.tarifa.shared.cache.CacheKey;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated, normalised search: codes upper-cased, dates parsed and re-printed as ISO, defaults filled. Two
 * requests that mean the same search give equal {@link #params()}, hence the same {@link #key()} and the same
 * upstream {@link #uri()}, whatever their parameter order, case or omitted defaults.
 */
public sealed interface SearchQuery permits FlightQuery, HotelQuery, CarQuery {
  int MAX_DAYS_AHEAD = 365;

  /** The owning service and cache policy: {@code flights}, {@code hotels} or {@code cars}. */
  String domain();

  /** The canonical parameters, every default filled in. */
  Map<String, String> params();

  /** The public (and internal) search path. */
  default String path() {
    return "/api/v1/" + domain() + "/search";
  }

  default CacheKey key() {
    return CacheKey.of(domain(), params());
  }

  /** Path and canonical query string sent to the owning service. */
  default String uri() {
    StringBuilder sb = new StringBuilder(path()).append('?');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(params()).entrySet()) {
      if (!first) sb.append('&');
      first = false;
      sb.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
