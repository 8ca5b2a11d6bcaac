package dev.tarifa.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarifa.users.domain.PasswordHash;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The stored format and verification, with the real default iteration count. */
class PasswordHashTest {
  @Test
  void defaultHashRoundTripsAndRejectsOtherPasswords() {
    String stored = PasswordHash.hash("correct horse battery", PasswordHash.DEFAULT_ITERATIONS);
    String[] parts = stored.split("\\$");
    assertThat(parts).hasSize(4);
    assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
    assertThat(Integer.parseInt(parts[1]))
        .isEqualTo(600_000)
        .isEqualTo(PasswordHash.iterations(stored));
    assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);

    assertThat(PasswordHash.verify("correct horse battery", stored)).isTrue();
    assertThat(PasswordHash.verify("correct horse batterY", stored)).isFalse();
    assertThat(PasswordHash.verify("", stored)).isFalse();
  }

  @Test
  void saltsDifferAndMalformedHashesNeverMatch() {
    String a = PasswordHash.hash("same password!", 1000);
    String b = PasswordHash.hash("same password!", 1000);
    assertThat(a).isNotEqualTo(b);
    assertThat(PasswordHash.verify("same password!", b)).isTrue();
    assertThat(PasswordHash.verify("same password!", "plain")).isFalse();
    assertThat(PasswordHash.verify("same password!", "pbkdf2-sha256$x$AA==$AA==")).isFalse();
    assertThat(PasswordHash.verify("same password!", "pbkdf2-sha256$10$AA==$AA==")).isFalse();
    assertThat(PasswordHash.verify("same password!", a.replace("pbkdf2-sha256", "md5"))).isFalse();
    assertThat(PasswordHash.verify("same password!", null)).isFalse();
  }
}
