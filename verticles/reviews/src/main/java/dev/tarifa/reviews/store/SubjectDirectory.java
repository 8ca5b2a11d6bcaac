package dev.tarifa.reviews.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarifa.reviews.domain.Subject;
import dev.tarifa.shared.domain.InvalidValue;
import dev.tarifa.shared.domain.Unavailable;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the service that owns a subject whether it exists: hotels for {@code hotel:}, cars for
 * {@code carsupplier:}, flights for {@code airline:}. Positive answers are cached briefly in a
 * bounded map, so a burst of reviews on one hotel makes one call; negative answers are not cached
 * (a new hotel becomes reviewable at once).
 */
public final class SubjectDirectory {
  public static final long TIMEOUT_MS = 1000;
  public static final Duration CACHE_TTL = Duration.ofMinutes(5);
  public static final int CACHE_SIZE = 10_000;
  private static final Logger log = LoggerFactory.getLogger(SubjectDirectory.class);

  private final WebClient client;
  private final URI hotels;
  private final URI cars;
  private final URI flights;
  private final Cache<String, Boolean> known =
      Caffeine.newBuilder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TTL).build();

  public SubjectDirectory(WebClient client, URI hotels, URI cars, URI flights) {
    this.client = client;
    this.hotels = hotels;
    this.cars = cars;
    this.flights = flights;
  }

  /**
   * Succeeds when the owner knows the subject. Fails with an {@link InvalidValue} naming {@code
   * subject} when the owner answers 404, and {@link Unavailable} when the owner cannot be reached,
   * times out (1 s) or answers anything else.
   */
  public Future<Void> requireExisting(Subject subject) {
    String key = subject.toString();
    if (known.getIfPresent(key) != null) return Future.succeededFuture();
    String url = url(subject);
    return client
        .getAbs(url)
        .timeout(TIMEOUT_MS)
        .send()
        .recover(
            e -> {
              log.warn("cannot verify {} at {}: {}", key, url, e.toString());
              return Future.failedFuture(
                  new Unavailable("cannot verify the subject: its owning service is unavailable"));
            })
        .compose(
            resp -> {
              if (resp.statusCode() == 200) {
                known.put(key, Boolean.TRUE);
                return Future.succeededFuture();
              }
              if (resp.statusCode() == 404)
                return Future.failedFuture(new InvalidValue("subject", "unknown subject " + key));
              log.warn("cannot verify {} at {}: status {}", key, url, resp.statusCode());
              return Future.failedFuture(
                  new Unavailable(
                      "cannot verify the subject: its owning service answered "
                          + resp.statusCode()));
            });
  }

  private String url(Subject s) {
    String id = URLEncoder.encode(s.id(), StandardCharsets.UTF_8);
    return switch (s.kind()) {
      case HOTEL -> base(hotels) + "/api/v1/hotels/" + id;
      case CAR_SUPPLIER -> base(cars) + "/api/v1/cars/suppliers/" + id;
      case AIRLINE -> base(flights) + "/api/v1/airlines/" + id;
    };
  }

  private static String base(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
