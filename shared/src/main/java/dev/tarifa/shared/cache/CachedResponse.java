package dev.tarifa.shared.cache;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One cached answer: the serialised response body, ready to be written as-is, plus its validators and its
 * three time limits. All instants are epoch milliseconds on the cache's clock.
 *
 * <ul>
 *   <li>{@code [createdAt, softExpiresAt)}: fresh, served as a hit;</li>
 *   <li>{@code [softExpiresAt, hardExpiresAt)}: stale-while-revalidate, served at once while one refresh runs;</li>
 *   <li>{@code [hardExpiresAt, staleIfErrorUntil)}: only served, marked degraded, when the origin fails;</li>
 *   <li>from {@code staleIfErrorUntil}: never served and dropped from both layers.</li>
 * </ul>
 *
 * <p>Instances are immutable (the body must not be modified after construction) and safe to share between
 * threads; the same body {@link Buffer} is handed to every reader.
 */
public final class CachedResponse {
  private static final byte FORMAT_VERSION = 1;
  private static final int MAX_STRING = 1 << 16;

  private final Buffer body;
  private final String contentType;
  private final String etag;
  private final long createdAt;
  private final long softExpiresAt;
  private final long hardExpiresAt;
  private final long staleIfErrorUntil;
  private final Set<String> tags;
  private final boolean negative;

  /**
   * @throws IllegalArgumentException unless {@code createdAt <= softExpiresAt <= hardExpiresAt <= staleIfErrorUntil}
   */
  public CachedResponse(Buffer body, String contentType, String etag, long createdAt, long softExpiresAt,
                        long hardExpiresAt, long staleIfErrorUntil, Set<String> tags, boolean negative) {
    this.body = Objects.requireNonNull(body, "body");
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.etag = Objects.requireNonNull(etag, "etag");
    if (!(createdAt <= softExpiresAt && softExpiresAt <= hardExpiresAt && hardExpiresAt <= staleIfErrorUntil)) {
      throw new IllegalArgumentException("expected createdAt <= softExpiresAt <= hardExpiresAt <= staleIfErrorUntil");
    }
    this.createdAt = createdAt;
    this.softExpiresAt = softExpiresAt;
    this.hardExpiresAt = hardExpiresAt;
    this.staleIfErrorUntil = staleIfErrorUntil;
    this.tags = Set.copyOf(tags);
    this.negative = negative;
  }

  /** A strong ETag (quoted) derived from the body alone: equal bodies have equal ETags. */
  public static String strongEtag(Buffer body) {
    byte[] digest = CacheKey.sha256(body.getBytes());
    return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
  }

  public Buffer body() { return body; }
  public String contentType() { return contentType; }
  /** The strong ETag, quoted, ready for the {@code ETag} header and {@code If-None-Match} comparison. */
  public String etag() { return etag; }
  public long createdAt() { return createdAt; }
  public long softExpiresAt() { return softExpiresAt; }
  public long hardExpiresAt() { return hardExpiresAt; }
  public long staleIfErrorUntil() { return staleIfErrorUntil; }
  /** Immutable; what this answer depends on, for eviction by tag. */
  public Set<String> tags() { return tags; }
  /** Whether the origin answered "no results"; such entries live only for the brief negative TTL. */
  public boolean negative() { return negative; }

  /** Whole seconds since creation, never negative: the HTTP {@code Age} header. */
  public long age(long nowMillis) {
    return Math.max(0, (nowMillis - createdAt) / 1000);
  }

  /** Whole seconds this entry stays fresh after {@code nowMillis}, never negative: {@code max-age}. */
  public long maxAgeSeconds(long nowMillis) {
    return Math.max(0, (softExpiresAt - nowMillis) / 1000);
  }

  /** The stale-while-revalidate grace in whole seconds: {@code stale-while-revalidate}. */
  public long staleWhileRevalidateSeconds() {
    return (hardExpiresAt - softExpiresAt) / 1000;
  }

  public boolean isFresh(long nowMillis) { return nowMillis < softExpiresAt; }
  /** Fresh or within the stale-while-revalidate grace. */
  public boolean isServable(long nowMillis) { return nowMillis < hardExpiresAt; }
  public boolean isWithinStaleIfError(long nowMillis) { return nowMillis < staleIfErrorUntil; }

  /**
   * This entry as no longer fresh nor within stale-while-revalidate from {@code nowMillis} on (its soft and hard
   * expiry moved back to {@code nowMillis}, never before {@code createdAt}), with its stale-if-error window
   * unchanged: how an invalidated entry is kept (soft eviction) and served when the origin fails, so that its
   * {@code max-age} is 0. Returns {@code this} if it already is.
   */
  public CachedResponse expiredAt(long nowMillis) {
    long soft = Math.max(createdAt, Math.min(softExpiresAt, nowMillis));
    long hard = Math.max(soft, Math.min(hardExpiresAt, nowMillis));
    if (soft == softExpiresAt && hard == hardExpiresAt) return this;
    return new CachedResponse(body, contentType, etag, createdAt, soft, hard, staleIfErrorUntil, tags, negative);
  }

  /** Approximate heap footprint in bytes, used to bound L1 by bytes. */
  int weight() {
    int w = 160 + body.length() + 2 * (contentType.length() + etag.length());
    for (String t : tags) w += 48 + 2 * t.length();
    return w;
  }

  /**
   * The compact binary form stored in Redis: a version byte, a flags byte, four longs, then length-prefixed
   * (int) UTF-8 strings for the content type, the ETag and each tag (after an int count), then the int-prefixed
   * body bytes.
   */
  public Buffer serialize() {
    byte[] ct = contentType.getBytes(StandardCharsets.UTF_8);
    byte[] et = etag.getBytes(StandardCharsets.UTF_8);
    Buffer b = Buffer.buffer(64 + ct.length + et.length + body.length() + tags.size() * 32);
    b.appendByte(FORMAT_VERSION).appendByte((byte) (negative ? 1 : 0))
      .appendLong(createdAt).appendLong(softExpiresAt).appendLong(hardExpiresAt).appendLong(staleIfErrorUntil)
      .appendInt(ct.length).appendBytes(ct)
      .appendInt(et.length).appendBytes(et)
      .appendInt(tags.size());
    for (String t : tags) {
      byte[] tb = t.getBytes(StandardCharsets.UTF_8);
      b.appendInt(tb.length).appendBytes(tb);
    }
    return b.appendInt(body.length()).appendBuffer(body);
  }

  /**
   * Reads what {@link #serialize()} wrote.
   *
   * @throws IllegalArgumentException if the bytes are truncated, of another format version or inconsistent
   */
  public static CachedResponse deserialize(Buffer b) {
    try {
      int pos = 0;
      if (b.getByte(pos++) != FORMAT_VERSION) throw new IllegalArgumentException("unknown cache entry format");
      boolean negative = (b.getByte(pos++) & 1) != 0;
      long created = b.getLong(pos); pos += 8;
      long soft = b.getLong(pos); pos += 8;
      long hard = b.getLong(pos); pos += 8;
      long sie = b.getLong(pos); pos += 8;
      int len = checked(b.getInt(pos), MAX_STRING); pos += 4;
      String ct = b.getString(pos, pos + len, "UTF-8"); pos += len;
      len = checked(b.getInt(pos), MAX_STRING); pos += 4;
      String et = b.getString(pos, pos + len, "UTF-8"); pos += len;
      int n = checked(b.getInt(pos), MAX_STRING); pos += 4;
      Set<String> tags = new LinkedHashSet<>();
      for (int i = 0; i < n; i++) {
        len = checked(b.getInt(pos), MAX_STRING); pos += 4;
        tags.add(b.getString(pos, pos + len, "UTF-8")); pos += len;
      }
      len = checked(b.getInt(pos), Integer.MAX_VALUE); pos += 4;
      if (pos + len != b.length()) throw new IllegalArgumentException("cache entry length mismatch");
      return new CachedResponse(b.getBuffer(pos, pos + len), ct, et, created, soft, hard, sie, tags, negative);
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated cache entry", e);
    }
  }

  private static int checked(int len, int max) {
    if (len < 0 || len > max) throw new IllegalArgumentException("corrupt cache entry length " + len);
    return len;
  }

  @Override
  public String toString() {
    return "CachedResponse{etag=" + etag + ", bytes=" + body.length() + ", created=" + createdAt + ", soft=" + softExpiresAt
      + ", hard=" + hardExpiresAt + ", sie=" + staleIfErrorUntil + ", tags=" + tags + ", negative=" + negative + '}';
  }
}
