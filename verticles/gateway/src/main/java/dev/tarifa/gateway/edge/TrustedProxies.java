package dev.tarifa.gateway.edge;

import dev.tarifa.shared.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the client is when the gateway runs behind load balancers or an ingress: the peer address,
 * unless the peer is a trusted proxy, in which case {@code X-Forwarded-For} is read from the right
 * (the entries proxies appended) and the first address that is not a trusted proxy is the client.
 * Entries a client wrote itself (further left) are never believed past that point, so a client
 * cannot choose its own rate-limit bucket by sending the header.
 *
 * <p>Configured with {@code TARIFA_TRUSTED_PROXIES}: comma-separated IPv4/IPv6 addresses or CIDR
 * blocks (for example {@code 10.0.0.0/8,fd00::/8}). Empty, the default: no proxy is trusted and the
 * header is ignored. Only literal addresses are parsed (never a DNS lookup); an entry that is not
 * one ends the walk. Immutable and thread-safe.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());
  private static final int MAX_HOPS = 20;

  private record Block(byte[] network, int prefixBits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = prefixBits / 8, rest = prefixBits % 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /**
   * Parses {@code TARIFA_TRUSTED_PROXIES}.
   *
   * @throws ConfigException naming the key when an entry is not a literal address or CIDR block
   */
  public static TrustedProxies parse(String key, String spec) {
    if (spec == null || spec.isBlank()) return NONE;
    List<Block> blocks = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) continue;
      int slash = entry.indexOf('/');
      byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address == null)
        throw new ConfigException(key, "'" + entry + "' is not an IP address or CIDR block");
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8)
          throw new ConfigException(key, "'" + entry + "' has an invalid prefix length");
      }
      blocks.add(new Block(address, bits));
    }
    return new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} (a literal) is a trusted proxy. */
  public boolean trusts(String address) {
    byte[] a = literal(address);
    if (a == null) return false;
    for (Block b : blocks) if (b.contains(a)) return true;
    return false;
  }

  /**
   * The client's address for a request from {@code peer} carrying {@code forwardedFor} (the
   * X-Forwarded-For value, or null).
   */
  public String clientAddress(String peer, String forwardedFor) {
    if (blocks.isEmpty() || forwardedFor == null || peer == null || !trusts(peer)) return peer;
    String client = peer;
    int end = forwardedFor.length();
    for (int hop = 0; hop < MAX_HOPS && end > 0; hop++) {
      int comma = forwardedFor.lastIndexOf(',', end - 1);
      String entry = forwardedFor.substring(comma + 1, end).trim();
      end = Math.max(comma, 0);
      if (literal(entry) == null)
        return client; // garbage or a name: the last trusted hop's view stands
      client = entry;
      if (!trusts(entry)) return entry;
      if (comma < 0) break;
    }
    return client;
  }

  /**
   * The bytes of a literal IPv4 or IPv6 address (brackets allowed), or null; never resolves a name.
   */
  static byte[] literal(String s) {
    if (s == null) return null;
    String t = s.trim();
    if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
    if (t.isEmpty() || t.length() > 45) return null;
    boolean colon = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == ':') colon = true;
      else if (!(c == '.'
          || (c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'f')
          || (c >= 'A' && c <= 'F'))) return null;
    }
    if (!colon) return ipv4(t);
    try {
      // with a ':' InetAddress parses an IPv6 literal or fails; it never falls back to a name
      // lookup
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * A dotted quad of decimal octets 0..255, parsed here (InetAddress would look up an invalid one
   * as a name).
   */
  private static byte[] ipv4(String t) {
    byte[] out = new byte[4];
    int part = 0, value = -1;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) return null;
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) return null;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }
}
