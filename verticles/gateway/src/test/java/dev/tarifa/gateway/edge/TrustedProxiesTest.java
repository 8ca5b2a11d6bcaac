package dev.tarifa.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tarifa.shared.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The client behind trusted proxies: the right-most forwarded address that is not a proxy; never a
 * spoofed one.
 */
class TrustedProxiesTest {
  private final TrustedProxies lb =
      TrustedProxies.parse("TARIFA_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7, fd00::/8");

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertThat(TrustedProxies.parse("K", "").clientAddress("10.1.2.3", "203.0.113.9"))
        .isEqualTo("10.1.2.3");
    assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertThat(lb.clientAddress("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
  }

  @Test
  void theRightMostUntrustedForwardedAddressIsTheClient() {
    assertThat(lb.clientAddress("10.0.0.5", "203.0.113.9")).isEqualTo("203.0.113.9");
    // the client prepended a spoofed address; the ingress (10.x) appended the real one, then a
    // second proxy hop
    assertThat(lb.clientAddress("10.0.0.5", "6.6.6.6, 203.0.113.9, 192.168.1.7"))
        .isEqualTo("203.0.113.9");
    assertThat(lb.clientAddress("fd00::1", "2001:db8::42")).isEqualTo("2001:db8::42");
    assertThat(lb.clientAddress("10.0.0.5", "[2001:db8::42]")).isEqualTo("[2001:db8::42]");
    // every hop is a proxy: the left-most one is as far as we can see
    assertThat(lb.clientAddress("10.0.0.5", "10.9.9.9, 10.0.0.6")).isEqualTo("10.9.9.9");
    // garbage (or a host name, never resolved) stops the walk at the last trusted view
    assertThat(lb.clientAddress("10.0.0.5", "203.0.113.9, evil.example")).isEqualTo("10.0.0.5");
    assertThat(lb.clientAddress("10.0.0.5", "unknown")).isEqualTo("10.0.0.5");
    assertThat(lb.clientAddress("10.0.0.5", null)).isEqualTo("10.0.0.5");
  }

  @Test
  void cidrBlocksMatchByPrefix() {
    TrustedProxies p = TrustedProxies.parse("K", "172.16.0.0/12");
    assertThat(p.trusts("172.16.0.1")).isTrue();
    assertThat(p.trusts("172.31.255.255")).isTrue();
    assertThat(p.trusts("172.32.0.0")).isFalse();
    assertThat(p.trusts("2001:db8::1")).isFalse();
    assertThat(p.trusts("localhost")).isFalse();
    // never a name lookup on the event loop: what is not a literal is simply not an address
    for (String notLiteral :
        new String[] {
          "1.2.3.999", "1.2.3", "1.2.3.4.5", "01.2.3.4x", "deadbeef", "dead:beef", "1..2.3"
        }) {
      assertThat(TrustedProxies.literal(notLiteral)).as(notLiteral).isNull();
    }
    assertThat(TrustedProxies.literal("10.0.0.255")).containsExactly(10, 0, 0, (byte) 255);
  }

  @Test
  void badEntriesAreConfigErrorsNamingTheKey() {
    assertThatThrownBy(() -> TrustedProxies.parse("TARIFA_TRUSTED_PROXIES", "10.0.0.0/33"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TARIFA_TRUSTED_PROXIES");
    assertThatThrownBy(() -> TrustedProxies.parse("TARIFA_TRUSTED_PROXIES", "lb.internal"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lb.internal");
  }
}
