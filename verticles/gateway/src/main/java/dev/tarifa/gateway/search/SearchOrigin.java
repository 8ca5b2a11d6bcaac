package dev.tarifa.gateway.search;

import dev.tarifa.gateway.domain.SearchQuery;
import dev.tarifa.gateway.upstream.Upstream;
import dev.tarifa.shared.cache.OriginResponse;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The origin of a cached search: one call to the owning service with the normalised query. A 2xx becomes the
 * entry (body bytes as-is, {@code X-Cache-Tags} as tags, {@code results: []} as a negative entry); a 4xx fails
 * with an {@link OriginError} (passed through, not cached); a 5xx or a failed call fails with a 503/504
 * {@link Problem} (the cache may then serve a stale entry).
 */
public final class SearchOrigin {
  public static final String TAGS_HEADER = "X-Cache-Tags";
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final String JSON = "application/json";

  private SearchOrigin() {}

  public static Future<OriginResponse> fetch(Upstream upstream, SearchQuery query, String requestId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", JSON);
    if (requestId != null) headers.set(RequestIds.HEADER, requestId);
    return upstream.get(query.uri(), headers).transform(ar -> {
      if (ar.failed()) return Future.failedFuture(upstream.problem(ar.cause()));
      return toOrigin(upstream.name(), ar.result());
    });
  }

  /**
   * The origin of a cached catalogue read (airports, airlines): a 2xx is cached as-is (tagged {@code catalogue}
   * unless the service names tags), a 4xx passed through and not cached.
   */
  public static Future<OriginResponse> fetchCatalogue(Upstream upstream, String uri, String requestId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", JSON);
    if (requestId != null) headers.set(RequestIds.HEADER, requestId);
    return upstream.get(uri, headers).transform(ar -> {
      if (ar.failed()) return Future.failedFuture(upstream.problem(ar.cause()));
      HttpResponse<Buffer> r = ar.result();
      Buffer body = r.body() == null ? Buffer.buffer() : r.body();
      String contentType = r.getHeader("Content-Type") == null ? JSON : r.getHeader("Content-Type");
      if (r.statusCode() >= 400 && r.statusCode() < 500) return Future.failedFuture(new OriginError(r.statusCode(), contentType, body));
      if (r.statusCode() < 200 || r.statusCode() >= 300) return Future.failedFuture(Problem.unavailable(upstream.name() + " answered " + r.statusCode()));
      // Always "catalogue" (purge all reference data), plus what the origin names (airline:<IATA>: its rating).
      Set<String> tags = new java.util.TreeSet<>(tags(r.getHeader(TAGS_HEADER)));
      tags.add("catalogue");
      return Future.succeededFuture(new OriginResponse(body, contentType, Set.copyOf(tags), false));
    });
  }

  static Future<OriginResponse> toOrigin(String upstream, HttpResponse<Buffer> r) {
    int status = r.statusCode();
    Buffer body = r.body() == null ? Buffer.buffer() : r.body();
    String contentType = r.getHeader("Content-Type");
    if (status >= 400 && status < 500) {
      return Future.failedFuture(new OriginError(status, contentType == null ? JSON : contentType, body));
    }
    if (status < 200 || status >= 300) return Future.failedFuture(Problem.unavailable(upstream + " answered " + status));
    boolean empty;
    try {
      JsonArray results = new JsonObject(body).getJsonArray("results");
      empty = results == null || results.isEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(Problem.unavailable(upstream + " answered a malformed search body"));
    }
    return Future.succeededFuture(new OriginResponse(body, contentType == null ? JSON : contentType, tags(r.getHeader(TAGS_HEADER)), empty));
  }

  static Set<String> tags(String header) {
    if (header == null || header.isBlank()) return Set.of();
    return Set.of(java.util.Arrays.stream(SPACES.split(header.trim())).distinct().toArray(String[]::new));
  }
}
