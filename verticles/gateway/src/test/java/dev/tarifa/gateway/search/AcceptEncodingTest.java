package dev.tarifa.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

  @ParameterizedTest(name = "[{0}] -> gzip {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "NULL | false",
        "'' | false",
        "gzip | true",
        "GZIP | true",
        "x-gzip | true",
        "gzip, deflate, br | true",
        "br, gzip;q=0.8 | true",
        "deflate, br | false",
        "identity | false",
        "* | true",
        "*;q=0 | false",
        "*, gzip;q=0 | false",
        "gzip;q=0 | false",
        "gzip; q=0.000 | false",
        "gzip;Q=0.001 | true",
        "gzip;q=1.0 | true",
        "gzip;q=0.5, identity | false",
        "gzip;q=0.5, identity;q=0.5 | true",
        "gzip, identity;q=0 | true",
        "identity;q=0 | false",
        "  gzip  ;  q=0.7  ,identity;q=0.2 | true",
        "gzip;q=2 | false",
        "gzip;q=0.5000 | false",
        "gzip;q= | false",
        "gzip;level=9 | true",
        "gzipx | false",
        ",,gzip,, | true",
      })
  void choosesGzipOnlyWhenTheClientTakesItAndDoesNotPreferIdentity(String header, boolean gzip) {
    assertThat(AcceptEncoding.prefersGzip(header)).isEqualTo(gzip);
  }
}
