package org.debvisor.common.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  // sha256("abc"), FIPS 180-2 appendix B.1
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void everyInputFormGivesTheSameDigest(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");

    assertThat(Sha256.hex("abc")).isEqualTo(ABC);
    assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
    assertThat(Sha256.hex(file)).isEqualTo(ABC);
    assertThat(
            Sha256.hex(
                List.of(
                    ByteBuffer.wrap("a".getBytes(StandardCharsets.US_ASCII)),
                    ByteBuffer.wrap("bc".getBytes(StandardCharsets.US_ASCII)))))
        .isEqualTo(ABC);
    assertThat(Sha256.bytes(new byte[0])).hasSize(32);
  }

  @Test
  void everyDigestStartsFresh() {
    MessageDigest first = Sha256.digest();
    first.update("left over".getBytes(StandardCharsets.US_ASCII));
    MessageDigest second = Sha256.digest();
    second.update("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(ABC);
    assertThat(Sha256.hex("abc")).isEqualTo(ABC);
    assertThat(first).isNotSameAs(second);
  }

  @Test
  void recognisesLowerCaseHex() {
    assertThat(Sha256.isHex(ABC)).isTrue();
    assertThat(Sha256.isHex(ABC.toUpperCase())).isFalse();
    assertThat(Sha256.isHex(ABC.substring(1))).isFalse();
    assertThat(Sha256.isHex(null)).isFalse();
  }
}
