package dev.tarifa.gateway.search;

import dev.tarifa.gateway.upstream.Upstream;
import dev.tarifa.shared.cache.OriginResponse;
import dev.tarifa.shared.http.Problem;
import dev.tarifa.shared.http.RequestIds;
import dev.tarifa.shared.search.CacheTag;
import dev.tarifa.shared.search.SearchQuery;
import dev.tarifa.shared.search.SearchSummary;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Set;
import java.util.TreeSet;

/**
 * The origin of a cached search: one call to the owning service with the normalised query. A 2xx
 * becomes the entry: body bytes as-is (never parsed), tags and emptiness from the answer's {@link
 * SearchSummary} headers (no results: a negative entry); a 2xx without a readable summary is the
 * service's fault (503). A 4xx fails with an {@link OriginError} (passed through, not cached); a
 * 5xx or a failed call fails with a 503/504 {@link Problem} (the cache may then serve a stale
 * entry).
 */
public final class SearchOrigin {
  private static final String JSON = "application/json";

  private SearchOrigin() {}

  public static Future<OriginResponse> fetch(
      Upstream upstream, SearchQuery query, String requestId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", JSON);
    if (requestId != null) headers.set(RequestIds.HEADER, requestId);
    return upstream
        .get(query.uri(), headers)
        .transform(
            ar -> {
              if (ar.failed()) return Future.failedFuture(upstream.problem(ar.cause()));
              return toOrigin(upstream.name(), ar.result());
            });
  }

  /**
   * The origin of a cached catalogue read (airports, airlines): a 2xx is cached as-is (tagged
   * {@code catalogue} unless the service names tags), a 4xx passed through and not cached.
   */
  public static Future<OriginResponse> fetchCatalogue(
      Upstream upstream, String uri, String requestId) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("Accept", JSON);
    if (requestId != null) headers.set(RequestIds.HEADER, requestId);
    return upstream
        .get(uri, headers)
        .transform(
            ar -> {
              if (ar.failed()) return Future.failedFuture(upstream.problem(ar.cause()));
              HttpResponse<Buffer> r = ar.result();
              Buffer body = r.body() == null ? Buffer.buffer() : r.body();
              String contentType =
                  r.getHeader("Content-Type") == null ? JSON : r.getHeader("Content-Type");
              if (r.statusCode() >= 400 && r.statusCode() < 500)
                return Future.failedFuture(new OriginError(r.statusCode(), contentType, body));
              if (r.statusCode() < 200 || r.statusCode() >= 300)
                return Future.failedFuture(
                    Problem.unavailable(upstream.name() + " answered " + r.statusCode()));
              // Always "catalogue" (purge all reference data), plus what the origin names
              // (airline:<IATA>: its rating).
              Set<String> tags = new TreeSet<>();
              tags.add(CacheTag.CATALOGUE.value());
              for (CacheTag t : CacheTag.parseHeader(r.getHeader(SearchSummary.TAGS_HEADER)))
                tags.add(t.value());
              return Future.succeededFuture(new OriginResponse(body, contentType, tags, false));
            });
  }

  static Future<OriginResponse> toOrigin(String upstream, HttpResponse<Buffer> r) {
    int status = r.statusCode();
    Buffer body = r.body() == null ? Buffer.buffer() : r.body();
    String contentType = r.getHeader("Content-Type");
    if (status >= 400 && status < 500) {
      return Future.failedFuture(
          new OriginError(status, contentType == null ? JSON : contentType, body));
    }
    if (status < 200 || status >= 300)
      return Future.failedFuture(Problem.unavailable(upstream + " answered " + status));
    SearchSummary summary;
    try {
      summary = SearchSummary.read(r.headers());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          Problem.unavailable(
              upstream + " answered a search without its summary: " + e.getMessage()));
    }
    return Future.succeededFuture(
        new OriginResponse(
            body, contentType == null ? JSON : contentType, summary.tagValues(), summary.empty()));
  }
}
