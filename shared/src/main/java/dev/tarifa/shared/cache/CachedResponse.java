package dev.tarifa.shared.cache;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * One cached answer: the serialised response body, ready to be written as-is, optionally its gzip
 * form (made once when the entry is filled, written as-is to clients that accept it), their
 * validators and the entry's three time limits. All instants are epoch milliseconds on the cache's
 * clock.
 *
 * <ul>
 *   <li>{@code [createdAt, softExpiresAt)}: fresh, served as a hit;
 *   <li>{@code [softExpiresAt, hardExpiresAt)}: stale-while-revalidate, served at once while one
 *       refresh runs;
 *   <li>{@code [hardExpiresAt, staleIfErrorUntil)}: only served, marked degraded, when the origin
 *       fails;
 *   <li>from {@code staleIfErrorUntil}: never served and dropped from both layers.
 * </ul>
 *
 * <p>Instances are immutable (the bodies must not be modified after construction) and safe to share
 * between threads; the same body {@link Buffer}s are handed to every reader.
 */
public final class CachedResponse {
  /**
   * Bodies of at least this many bytes get a gzip form when the entry is made by {@link
   * CachePolicy#entryFor} (if compressing saves at least 1/8); shorter ones are always written as
   * they are.
   */
  public static final int GZIP_MIN_BYTES = Gzip.MIN_BYTES;

  private final Buffer body;
  private final Buffer gzipBody;
  private final String contentType;
  private final String etag;
  private final String gzipEtag;
  private final long createdAt;
  private final long softExpiresAt;
  private final long hardExpiresAt;
  private final long staleIfErrorUntil;
  private final Set<String> tags;
  private final boolean negative;

  /**
   * An entry without a gzip form.
   *
   * @throws IllegalArgumentException unless {@code createdAt <= softExpiresAt <= hardExpiresAt <=
   *     staleIfErrorUntil}
   */
  public CachedResponse(
      Buffer body,
      String contentType,
      String etag,
      long createdAt,
      long softExpiresAt,
      long hardExpiresAt,
      long staleIfErrorUntil,
      Set<String> tags,
      boolean negative) {
    this(
        body,
        null,
        contentType,
        etag,
        createdAt,
        softExpiresAt,
        hardExpiresAt,
        staleIfErrorUntil,
        tags,
        negative);
  }

  /**
   * An entry with {@code gzipBody} (null: none), the gzip form of {@code body}; its ETag is {@link
   * #gzipEtag(String)}.
   *
   * @throws IllegalArgumentException unless {@code createdAt <= softExpiresAt <= hardExpiresAt <=
   *     staleIfErrorUntil}
   */
  public CachedResponse(
      Buffer body,
      Buffer gzipBody,
      String contentType,
      String etag,
      long createdAt,
      long softExpiresAt,
      long hardExpiresAt,
      long staleIfErrorUntil,
      Set<String> tags,
      boolean negative) {
    this.body = Objects.requireNonNull(body, "body");
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.etag = Objects.requireNonNull(etag, "etag");
    if (!(createdAt <= softExpiresAt
        && softExpiresAt <= hardExpiresAt
        && hardExpiresAt <= staleIfErrorUntil)) {
      throw new IllegalArgumentException(
          "expected createdAt <= softExpiresAt <= hardExpiresAt <= staleIfErrorUntil");
    }
    this.gzipBody = gzipBody;
    this.gzipEtag = gzipBody == null ? null : gzipEtag(etag);
    this.createdAt = createdAt;
    this.softExpiresAt = softExpiresAt;
    this.hardExpiresAt = hardExpiresAt;
    this.staleIfErrorUntil = staleIfErrorUntil;
    this.tags = Set.copyOf(tags);
    this.negative = negative;
  }

  /** A strong ETag (quoted) derived from the body alone: equal bodies have equal ETags. */
  public static String strongEtag(Buffer body) {
    return strongEtag(body.getBytes());
  }

  static String strongEtag(byte[] body) {
    byte[] digest = CacheKey.sha256(body);
    return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
  }

  /**
   * The ETag of the gzip form of a body whose ETag is {@code etag}: {@code "<hex>"} becomes {@code
   * "<hex>-gzip"}, so each representation has its own strong validator and both follow the body
   * (replicas agree on them without comparing compressed bytes).
   */
  public static String gzipEtag(String etag) {
    return etag.endsWith("\"") ? etag.substring(0, etag.length() - 1) + "-gzip\"" : etag + "-gzip";
  }

  /** The identity body. */
  public Buffer body() {
    return body;
  }

  /**
   * The gzip form of {@link #body()}, ready to be written with {@code Content-Encoding: gzip}; null
   * if none.
   */
  public Buffer gzipBody() {
    return gzipBody;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The strong ETag of the identity body, quoted, ready for the {@code ETag} header and {@code
   * If-None-Match}.
   */
  public String etag() {
    return etag;
  }

  /** The strong ETag of {@link #gzipBody()}, quoted; null if there is no gzip form. */
  public String gzipEtag() {
    return gzipEtag;
  }

  public long createdAt() {
    return createdAt;
  }

  public long softExpiresAt() {
    return softExpiresAt;
  }

  public long hardExpiresAt() {
    return hardExpiresAt;
  }

  public long staleIfErrorUntil() {
    return staleIfErrorUntil;
  }

  /** Immutable; what this answer depends on, for eviction by tag. */
  public Set<String> tags() {
    return tags;
  }

  /**
   * Whether the origin answered "no results"; such entries live only for the brief negative TTL.
   */
  public boolean negative() {
    return negative;
  }

  /** Whole seconds since creation, never negative: the HTTP {@code Age} header. */
  public long age(long nowMillis) {
    return Math.max(0, (nowMillis - createdAt) / 1000);
  }

  /**
   * Whole seconds this entry stays fresh after {@code nowMillis}, never negative: {@code max-age}.
   */
  public long maxAgeSeconds(long nowMillis) {
    return Math.max(0, (softExpiresAt - nowMillis) / 1000);
  }

  /** The stale-while-revalidate grace in whole seconds: {@code stale-while-revalidate}. */
  public long staleWhileRevalidateSeconds() {
    return (hardExpiresAt - softExpiresAt) / 1000;
  }

  public boolean isFresh(long nowMillis) {
    return nowMillis < softExpiresAt;
  }

  /** Fresh or within the stale-while-revalidate grace. */
  public boolean isServable(long nowMillis) {
    return nowMillis < hardExpiresAt;
  }

  public boolean isWithinStaleIfError(long nowMillis) {
    return nowMillis < staleIfErrorUntil;
  }

  /**
   * This entry as no longer fresh nor within stale-while-revalidate from {@code nowMillis} on (its
   * soft and hard expiry moved back to {@code nowMillis}, never before {@code createdAt}), with its
   * stale-if-error window unchanged: how an invalidated entry is kept (soft eviction) and served
   * when the origin fails, so that its {@code max-age} is 0. Returns {@code this} if it already is.
   */
  public CachedResponse expiredAt(long nowMillis) {
    long soft = Math.max(createdAt, Math.min(softExpiresAt, nowMillis));
    long hard = Math.max(soft, Math.min(hardExpiresAt, nowMillis));
    if (soft == softExpiresAt && hard == hardExpiresAt) return this;
    return new CachedResponse(
        body,
        gzipBody,
        contentType,
        etag,
        createdAt,
        soft,
        hard,
        staleIfErrorUntil,
        tags,
        negative);
  }

  /** Approximate heap footprint in bytes, used to bound L1 by bytes. */
  int weight() {
    int w = 160 + body.length() + 2 * (contentType.length() + etag.length());
    if (gzipBody != null) w += 48 + gzipBody.length() + 2 * gzipEtag.length();
    for (String t : tags) w += 48 + 2 * t.length();
    return w;
  }

  // ---- the stored form (Redis) ------------------------------------------------------------------

  /** Version of the stored form; {@link L2Cache}'s scripts and key names depend on it. */
  static final byte FORMAT_VERSION = 2;

  /**
   * Offset of the state byte: {@link #STATE_VALID} or {@link #STATE_INVALIDATED} (set in place by
   * the scripts).
   */
  static final int STATE_OFFSET = 2;

  static final byte STATE_VALID = '0';
  static final byte STATE_INVALIDATED = '1';

  /**
   * Offsets of the soft and hard expiry, {@value #DIGITS} ASCII decimal digits each, so scripts can
   * read them.
   */
  static final int SOFT_OFFSET = 3;

  static final int HARD_OFFSET = SOFT_OFFSET + 16;
  static final int DIGITS = 16;

  /** The bytes scripts read to judge an entry: version, flags, state, soft and hard expiry. */
  static final int SCRIPT_HEADER_BYTES = HARD_OFFSET + DIGITS;

  private static final int FIXED_HEADER_BYTES = SCRIPT_HEADER_BYTES + 8 + 8 + 4 + 4 + 4;
  private static final int MAX_STRING = 0xffff;
  private static final long MAX_INSTANT = 9_999_999_999_999_999L;
  private static final String JSON = "application/json";
  private static final byte[] JSON_BYTES = JSON.getBytes(StandardCharsets.UTF_8);

  /**
   * The stored form, written once per fill and read by a single Redis {@code GET}: a fixed header,
   * the metadata, then the identity body and the gzip body exactly as they are written to clients,
   * so that reading it copies and decodes no body (the bodies are slices of the value Redis
   * returned).
   *
   * <pre>
   *  0  version (2)              1  flags (bit 0: negative)     2  state ('0' valid, '1' invalidated)
   *  3  soft expiry, 16 ASCII digits                           19  hard expiry, 16 ASCII digits
   * 35  created (long)          43  stale-if-error end (long)
   * 51  metadata length M (int) 55  body length B (int)        59  gzip length G (int, 0: none)
   * 63  metadata: content type, ETag, tag count, tags (each string: unsigned short length, UTF-8)
   * 63+M  body (B bytes), then the gzip body (G bytes)
   * </pre>
   *
   * The expiry instants are decimal so that the Lua scripts judge freshness with {@code tonumber};
   * soft eviction sets the state byte in place ({@code SETRANGE}), so an invalidated entry keeps
   * its bytes as the stale-if-error fallback and {@link #deserialize} reads it as expired since its
   * creation.
   *
   * @throws IllegalArgumentException if an instant is negative or beyond 16 digits, or a string
   *     longer than 65535 bytes
   */
  public Buffer serialize() {
    byte[] ct = contentType.getBytes(StandardCharsets.UTF_8);
    byte[] et = etag.getBytes(StandardCharsets.UTF_8);
    byte[][] tb = new byte[tags.size()][];
    int meta = 2 + ct.length + 2 + et.length + 2;
    int i = 0;
    for (String t : tags) {
      tb[i] = t.getBytes(StandardCharsets.UTF_8);
      meta += 2 + tb[i++].length;
    }
    int gz = gzipBody == null ? 0 : gzipBody.length();
    Buffer b = Buffer.buffer(FIXED_HEADER_BYTES + meta + body.length() + gz);
    b.appendByte(FORMAT_VERSION).appendByte((byte) (negative ? 1 : 0)).appendByte(STATE_VALID);
    appendDigits(b, softExpiresAt);
    appendDigits(b, hardExpiresAt);
    b.appendLong(createdAt)
        .appendLong(staleIfErrorUntil)
        .appendInt(meta)
        .appendInt(body.length())
        .appendInt(gz);
    appendString(b, ct);
    appendString(b, et);
    b.appendUnsignedShort(checked(tb.length, MAX_STRING));
    for (byte[] t : tb) appendString(b, t);
    b.appendBuffer(body);
    if (gzipBody != null) b.appendBuffer(gzipBody);
    return b;
  }

  /**
   * Reads what {@link #serialize()} wrote. The bodies of the result are slices of {@code b} (not
   * copies), so {@code b} must not be modified afterwards. An entry whose state byte says
   * invalidated is read as expired since its creation (never fresh nor within
   * stale-while-revalidate), with its stale-if-error window.
   *
   * @throws IllegalArgumentException if the bytes are truncated, of another format version or
   *     inconsistent
   */
  public static CachedResponse deserialize(Buffer b) {
    try {
      if (b.length() < FIXED_HEADER_BYTES || b.getByte(0) != FORMAT_VERSION)
        throw new IllegalArgumentException("unknown cache entry format");
      boolean negative = (b.getByte(1) & 1) != 0;
      byte state = b.getByte(STATE_OFFSET);
      if (state != STATE_VALID && state != STATE_INVALIDATED)
        throw new IllegalArgumentException("corrupt cache entry state");
      long soft = digits(b, SOFT_OFFSET);
      long hard = digits(b, HARD_OFFSET);
      int pos = SCRIPT_HEADER_BYTES;
      long created = b.getLong(pos);
      pos += 8;
      long sie = b.getLong(pos);
      pos += 8;
      int meta = checked(b.getInt(pos), Integer.MAX_VALUE);
      pos += 4;
      int bodyLen = checked(b.getInt(pos), Integer.MAX_VALUE);
      pos += 4;
      int gzLen = checked(b.getInt(pos), Integer.MAX_VALUE);
      pos += 4;
      if ((long) FIXED_HEADER_BYTES + meta + bodyLen + gzLen != b.length())
        throw new IllegalArgumentException("cache entry length mismatch");
      int len = b.getUnsignedShort(pos);
      pos += 2;
      String ct =
          len == JSON_BYTES.length && isJson(b, pos) ? JSON : b.getString(pos, pos + len, "UTF-8");
      pos += len;
      len = b.getUnsignedShort(pos);
      pos += 2;
      String et = b.getString(pos, pos + len, "UTF-8");
      pos += len;
      int n = b.getUnsignedShort(pos);
      pos += 2;
      Set<String> tags;
      if (n == 0) {
        tags = Set.of();
      } else {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
          len = b.getUnsignedShort(pos);
          pos += 2;
          t[i] = b.getString(pos, pos + len, "UTF-8");
          pos += len;
        }
        tags = Set.of(t);
      }
      if (pos != FIXED_HEADER_BYTES + meta)
        throw new IllegalArgumentException("cache entry metadata length mismatch");
      Buffer body = b.slice(pos, pos + bodyLen);
      Buffer gzip = gzLen == 0 ? null : b.slice(pos + bodyLen, pos + bodyLen + gzLen);
      if (state == STATE_INVALIDATED) {
        soft = created;
        hard = created;
      }
      return new CachedResponse(body, gzip, ct, et, created, soft, hard, sie, tags, negative);
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated cache entry", e);
    }
  }

  private static boolean isJson(Buffer b, int pos) {
    for (int i = 0; i < JSON_BYTES.length; i++)
      if (b.getByte(pos + i) != JSON_BYTES[i]) return false;
    return true;
  }

  private static void appendString(Buffer b, byte[] s) {
    b.appendUnsignedShort(checked(s.length, MAX_STRING)).appendBytes(s);
  }

  private static void appendDigits(Buffer b, long v) {
    if (v < 0 || v > MAX_INSTANT)
      throw new IllegalArgumentException("instant out of the stored range: " + v);
    for (long div = 1_000_000_000_000_000L; div > 0; div /= 10)
      b.appendByte((byte) ('0' + v / div % 10));
  }

  private static long digits(Buffer b, int pos) {
    long v = 0;
    for (int i = 0; i < DIGITS; i++) {
      int d = b.getByte(pos + i) - '0';
      if (d < 0 || d > 9) throw new IllegalArgumentException("corrupt cache entry instant");
      v = v * 10 + d;
    }
    return v;
  }

  private static int checked(int len, int max) {
    if (len < 0 || len > max)
      throw new IllegalArgumentException("corrupt cache entry length " + len);
    return len;
  }

  @Override
  public String toString() {
    return "CachedResponse{etag="
        + etag
        + ", bytes="
        + body.length()
        + ", gzipBytes="
        + (gzipBody == null ? 0 : gzipBody.length())
        + ", created="
        + createdAt
        + ", soft="
        + softExpiresAt
        + ", hard="
        + hardExpiresAt
        + ", sie="
        + staleIfErrorUntil
        + ", tags="
        + tags
        + ", negative="
        + negative
        + '}';
  }
}
