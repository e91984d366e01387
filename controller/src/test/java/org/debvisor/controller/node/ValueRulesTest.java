package org.debvisor.controller.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The value checks that are code rather than a pattern, each rule at its edge. */
class ValueRulesTest {

  private static final String SALT = "saltsalt";

  private static String sshKey(String type, int declaredLength, String innerType, int extra) {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.writeBytes(ByteBuffer.allocate(4).putInt(declaredLength).array());
    blob.writeBytes(innerType.getBytes(StandardCharsets.US_ASCII));
    blob.writeBytes(new byte[extra]);
    return type + " " + Base64.getEncoder().encodeToString(blob.toByteArray());
  }

  private static String ed25519() {
    return sshKey("ssh-ed25519", 11, "ssh-ed25519", 36);
  }

  @Test
  void everyAcceptedCryptFormPasses() {
    assertThat(ValueRules.cryptHashProblem("$6$" + SALT + "$" + "a".repeat(86))).isEmpty();
    assertThat(ValueRules.cryptHashProblem("$6$rounds=5000$" + SALT + "$" + "b".repeat(86)))
        .isEmpty();
    assertThat(ValueRules.cryptHashProblem("$5$" + SALT + "$" + "c".repeat(43))).isEmpty();
    assertThat(ValueRules.cryptHashProblem("$y$j9T$" + SALT + "$" + "d".repeat(43))).isEmpty();
  }

  @Test
  void aClearPasswordMd5BcryptOrAMalformedHashEachSayWhy() {
    assertThat(ValueRules.cryptHashProblem("hunter2"))
        .contains(
            "looks like a plain-text password, not a hash: a crypt hash: SHA-512 ($6$salt$ and 86"
                + " characters), SHA-256 ($5$salt$ and 43) or yescrypt ($y$params$salt$ and 43),"
                + " e.g. from 'mkpasswd -m sha-512'");
    assertThat(ValueRules.cryptHashProblem("$1$" + SALT + "$" + "a".repeat(22)))
        .contains("MD5 and bcrypt hashes are refused; it " + ValueRules.CRYPT_HASH_RULE);
    assertThat(ValueRules.cryptHashProblem("$2b$10$" + "a".repeat(53)))
        .contains("MD5 and bcrypt hashes are refused; it " + ValueRules.CRYPT_HASH_RULE);
    assertThat(ValueRules.cryptHashProblem("$6$" + SALT + "$" + "a".repeat(85)))
        .contains(ValueRules.CRYPT_HASH_RULE);
    assertThat(ValueRules.cryptHashProblem("$3$x")).contains(ValueRules.CRYPT_HASH_RULE);
  }

  @Test
  void aWellFormedSshKeyPassesWithOrWithoutComment() {
    assertThat(ValueRules.sshKeyProblem(ed25519())).isEmpty();
    assertThat(ValueRules.sshKeyProblem(ed25519() + " alice@laptop")).isEmpty();
    assertThat(ValueRules.sshKeyProblem(sshKey("ssh-rsa", 7, "ssh-rsa", 64))).isEmpty();
  }

  @Test
  void theShortestBlobThatHoldsTheTypePassesAndOneByteLessIsTooShort() {
    // 4 length bytes + "ssh-ed25519": 15 bytes, nothing after.
    assertThat(ValueRules.sshKeyProblem(sshKey("ssh-ed25519", 11, "ssh-ed25519", 0))).isEmpty();
    assertThat(ValueRules.sshKeyProblem(sshKey("ssh-ed25519", 11, "ssh-ed2551", 0)))
        .contains("the key data is too short for a ssh-ed25519 key");
  }

  @Test
  void aKeyLineThatIsNotOneKeyIsRefusedWithTheRule() {
    assertThat(ValueRules.sshKeyProblem("ssh-ed25519")).contains(ValueRules.SSH_KEY_RULE);
    assertThat(ValueRules.sshKeyProblem("command=\"x\" " + ed25519()))
        .contains(ValueRules.SSH_KEY_RULE);
    assertThat(ValueRules.sshKeyProblem("ssh-ed25519 " + "A".repeat(17)))
        .contains("the key part is not valid base64");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0100000B, 0x0001000B, 0x0000010B, 12, 10})
  void theBlobsLengthFieldMustBeExactlyTheTypesLength(int declared) {
    assertThat(ValueRules.sshKeyProblem(sshKey("ssh-ed25519", declared, "ssh-ed25519", 36)))
        .contains("the key data does not hold a ssh-ed25519 key (type and data disagree)");
  }

  @Test
  void aBlobOfAnotherTypeIsRefused() {
    assertThat(ValueRules.sshKeyProblem(sshKey("ssh-ed25519", 7, "ssh-rsa", 64)))
        .contains("the key data does not hold a ssh-ed25519 key (type and data disagree)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.org:80",
        "mirror:1",
        "mirror:65535",
        "10.0.0.1:3142",
        "[::1]:5000",
        "[2001:db8::7]:443",
        "123.example.org:8"
      })
  void hostsWithPortsPass(String hostPort) {
    assertThat(ValueRules.hostPortProblem(hostPort, true)).isEmpty();
    assertThat(ValueRules.hostPortProblem(hostPort, false)).isEmpty();
  }

  @Test
  void thePortIsOptionalOnlyWhenNotRequired() {
    assertThat(ValueRules.hostPortProblem("example.org", false)).isEmpty();
    assertThat(ValueRules.hostPortProblem("[::1]", false)).isEmpty();
    assertThat(ValueRules.hostPortProblem("example.org", true))
        .contains("must be host:port (a DNS name, an IPv4 address or [IPv6], and a port 1-65535)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          host_name:80       | must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port
          -bad.example.org   | must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port
          example.123        | must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port
          10.0.0.256:80      | must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port
          1.2.3              | must be a host (a DNS name, an IPv4 address or [IPv6]), optionally with :port
          [127.0.0.1]:80     | '127.0.0.1' in brackets is not an IPv6 address
          [1::2::3]          | '1::2::3' in brackets is not an IPv6 address
          mirror:0           | port 0 is outside 1-65535
          mirror:65536       | port 65536 is outside 1-65535
          """)
  void badHostsAndPortsSayWhatIsWrong(String hostPort, String problem) {
    assertThat(ValueRules.hostPortProblem(hostPort, false)).contains(problem);
  }

  @Test
  void aProxyIsPlainHttpToAHostWithAnOptionalPortAndSlash() {
    assertThat(ValueRules.proxyProblem("http://proxy.example.org:3128/")).isEmpty();
    assertThat(ValueRules.proxyProblem("http://proxy.example.org:3128")).isEmpty();
    assertThat(ValueRules.proxyProblem("http://10.0.0.1/")).isEmpty();
    for (String bad :
        new String[] {
          "https://proxy.example.org/",
          "proxy.example.org:3128",
          "http://user:pw@proxy.example.org/",
          "http://proxy.example.org/path/",
          "http:///",
          "http://proxy.example.org//"
        }) {
      assertThat(ValueRules.proxyProblem(bad)).as(bad).contains(ValueRules.PROXY_RULE);
    }
  }

  @Test
  void aDnsNameIsAtMost253CharactersAndNotNumericAtTheEnd() {
    String labels = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".";
    assertThat(ValueRules.isDnsName(labels + "d".repeat(61))).isTrue();
    assertThat(ValueRules.isDnsName(labels + "d".repeat(62))).isFalse();
    assertThat(ValueRules.isDnsName("a")).isTrue();
    assertThat(ValueRules.isDnsName("123.example")).isTrue();
    assertThat(ValueRules.isDnsName("example.123")).isFalse();
    assertThat(ValueRules.isDnsName("123")).isFalse();
    assertThat(ValueRules.isDnsName("exa mple.org")).isFalse();
  }
}
