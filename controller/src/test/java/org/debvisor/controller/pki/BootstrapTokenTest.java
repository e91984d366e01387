package org.debvisor.controller.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The bootstrap token's shown form, what the database keeps of it, and how it is checked. */
class BootstrapTokenTest {

  // SHA-256("abc"), the FIPS 180-2 test vector.
  private static final String ABC_SHA256 =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void generatedIdAndSecretComeFromTheRandomSource() {
    SecureRandom constant =
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0xab);
          }
        };

    BootstrapToken token = BootstrapToken.generate(constant);

    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0xab);
    assertThat(token.id()).isEqualTo("abababababababab");
    assertThat(token.secret())
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
        .hasSize(43);
  }

  @Test
  void displayedFormParsesBackAndSurroundingWhitespaceIsIgnored() {
    BootstrapToken token = BootstrapToken.generate(new SecureRandom());

    assertThat(token.display()).isEqualTo("dvb_" + token.id() + "_" + token.secret());
    assertThat(BootstrapToken.parse(" " + token.display() + "\n")).contains(token);
  }

  @Test
  void textNotShapedLikeATokenParsesToNothing() {
    String secret = "A".repeat(43);
    assertThat(BootstrapToken.parse(null)).isEmpty();
    assertThat(BootstrapToken.parse("")).isEmpty();
    assertThat(BootstrapToken.parse("dvb_0123456789ABCDEF_" + secret)).isEmpty();
    assertThat(BootstrapToken.parse("dvb_0123456789abcde_" + secret)).isEmpty();
    assertThat(BootstrapToken.parse("dvb_0123456789abcdef_" + secret + "A")).isEmpty();
    assertThat(BootstrapToken.parse("xdvb_0123456789abcdef_" + secret)).isEmpty();
    assertThat(BootstrapToken.parse("dvb_0123456789abcdef_" + secret))
        .contains(new BootstrapToken("0123456789abcdef", secret));
  }

  @Test
  void storedHashIsTheSha256OfTheSecretOnly() {
    BootstrapToken token = new BootstrapToken("0123456789abcdef", "abc");

    assertThat(token.secretHash()).isEqualTo(ABC_SHA256);
    assertThat(token.matches(ABC_SHA256)).isTrue();
  }

  @Test
  void anotherSecretsHashDoesNotMatch() {
    BootstrapToken token = new BootstrapToken("0123456789abcdef", "abd");

    assertThat(token.matches(ABC_SHA256)).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(token.secretHash().toUpperCase(java.util.Locale.ROOT))).isFalse();
  }

  @Test
  void toStringShowsTheIdButNotTheSecret() {
    BootstrapToken token = new BootstrapToken("0123456789abcdef", "s3cr3t-value");

    assertThat(token.toString())
        .isEqualTo("BootstrapToken[id=0123456789abcdef, secret=<redacted>]")
        .doesNotContain("s3cr3t-value");
  }
}
