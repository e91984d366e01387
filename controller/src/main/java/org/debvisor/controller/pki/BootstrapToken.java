package org.debvisor.controller.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.common.digest.Sha256;

/**
 * A bootstrap token as shown once to the operator: {@code dvb_<id>_<secret>}, id 16 hex digits,
 * secret 32 random bytes in unpadded base64url. The controller stores only the id and the SHA-256
 * of the secret.
 */
public record BootstrapToken(String id, String secret) {

  private static final Pattern FORMAT = Pattern.compile("dvb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

  /** A new token from a secure random source. */
  public static BootstrapToken generate(SecureRandom random) {
    byte[] id = new byte[8];
    byte[] secret = new byte[32];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new BootstrapToken(
        HexFormat.of().formatHex(id),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** Parses the shown form; empty when the text is not shaped like a bootstrap token. */
  public static Optional<BootstrapToken> parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    return m.matches() ? Optional.of(new BootstrapToken(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The form shown to the operator, once. */
  public String display() {
    return "dvb_" + id + "_" + secret;
  }

  /** Hex SHA-256 of the secret: what the database keeps. */
  public String secretHash() {
    return Sha256.hex(secret);
  }

  /** True when this token's secret hashes to {@code storedHash} (constant-time comparison). */
  public boolean matches(String storedHash) {
    return MessageDigest.isEqual(
        secretHash().getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "BootstrapToken[id=" + id + ", secret=<redacted>]";
  }
}
