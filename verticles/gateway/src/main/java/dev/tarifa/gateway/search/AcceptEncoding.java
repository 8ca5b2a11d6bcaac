package dev.tarifa.gateway.search;

/**
 * Reads an {@code Accept-Encoding} header (RFC 9110 §12.5.3) for the one choice a cached answer
 * has: its gzip form or its identity bytes. Allocation-free (it runs on every hit).
 *
 * <p>gzip is chosen when it is acceptable ({@code gzip} or {@code x-gzip} listed with a q-value
 * above 0, or not listed but {@code *} is) and identity is not explicitly preferred over it ({@code
 * identity;q=1, gzip;q=0.5}). Absent or empty header: identity. Identity refused ({@code
 * identity;q=0}) but gzip not acceptable: identity anyway (answering 406 would help no client). A
 * malformed q-value counts as 0: a client that cannot be understood gets the identity bytes, which
 * every client can read.
 */
public final class AcceptEncoding {
  private static final int UNSET = -1;

  private AcceptEncoding() {}

  /**
   * Whether the answer should be the gzip form, for the header value {@code header} (null when
   * absent).
   */
  public static boolean prefersGzip(String header) {
    if (header == null) return false;
    if (header.equals("gzip")) return true; // the usual programmatic client, without the scan
    int gzip = UNSET, identity = UNSET, star = UNSET;
    int n = header.length();
    int i = 0;
    while (i < n) {
      int end = header.indexOf(',', i);
      if (end < 0) end = n;
      int semi = header.indexOf(';', i);
      int tokenEnd = semi >= 0 && semi < end ? semi : end;
      int a = skipSpaces(header, i, tokenEnd), b = trimEnd(header, a, tokenEnd);
      if (a < b) {
        int q = semi >= 0 && semi < end ? qValue(header, semi + 1, end) : 1000;
        if (is(header, a, b, "gzip") || is(header, a, b, "x-gzip")) gzip = Math.max(gzip, q);
        else if (is(header, a, b, "identity")) identity = Math.max(identity, q);
        else if (is(header, a, b, "*")) star = Math.max(star, q);
      }
      i = end + 1;
    }
    int g = gzip != UNSET ? gzip : star != UNSET ? star : 0;
    if (g <= 0) return false;
    return identity == UNSET || g >= identity;
  }

  /**
   * The q-value in thousandths among the parameters in {@code [from, to)}; 1000 if none; 0 if
   * malformed.
   */
  private static int qValue(String h, int from, int to) {
    int i = from;
    while (i < to) {
      int end = h.indexOf(';', i);
      if (end < 0 || end > to) end = to;
      int a = skipSpaces(h, i, end), b = trimEnd(h, a, end);
      if (b - a >= 2 && (h.charAt(a) == 'q' || h.charAt(a) == 'Q')) {
        int eq = skipSpaces(h, a + 1, b);
        if (eq < b && h.charAt(eq) == '=') return parseQ(h, skipSpaces(h, eq + 1, b), b);
      }
      i = end + 1;
    }
    return 1000;
  }

  /**
   * {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths; 0 if
   * malformed.
   */
  private static int parseQ(String h, int a, int b) {
    if (a >= b) return 0;
    char first = h.charAt(a);
    if (first != '0' && first != '1') return 0;
    if (a + 1 == b) return first == '1' ? 1000 : 0;
    if (h.charAt(a + 1) != '.' || b - (a + 2) > 3) return 0;
    int v = 0, scale = 100;
    for (int i = a + 2; i < b; i++, scale /= 10) {
      char c = h.charAt(i);
      if (c < '0' || c > '9') return 0;
      v += (c - '0') * scale;
    }
    if (first == '1') return v == 0 ? 1000 : 0;
    return v;
  }

  private static int skipSpaces(String h, int i, int end) {
    while (i < end && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) i++;
    return i;
  }

  private static int trimEnd(String h, int start, int end) {
    while (end > start && (h.charAt(end - 1) == ' ' || h.charAt(end - 1) == '\t')) end--;
    return end;
  }

  private static boolean is(String h, int a, int b, String token) {
    return b - a == token.length() && h.regionMatches(true, a, token, 0, token.length());
  }
}
