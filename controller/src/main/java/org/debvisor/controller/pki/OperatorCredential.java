package org.debvisor.controller.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.debvisor.common.digest.Sha256;

/**
 * The operator's bearer token: generated on first start into {@code <stateDir>/operator-token}
 * (0600) for the CLI to read; the running controller keeps only its SHA-256.
 */
public final class OperatorCredential implements OperatorTokens {

  private final byte[] hash;

  private OperatorCredential(String token) {
    this.hash = Sha256.hex(token).getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads the token file, creating it with a fresh random token when missing. */
  public static OperatorCredential loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      SecretFiles.writeSecret(
          file, "dvo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
    } else if (SecretFiles.tooOpen(file)) {
      throw new IOException(file + " is readable by others; run: chmod 600 " + file);
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (token.isEmpty()) {
      throw new IOException(file + " is empty; delete it to have a new operator token generated");
    }
    return new OperatorCredential(token);
  }

  /** The token's SHA-256 (hex), what may be stored where others read it. */
  public String sha256() {
    return new String(hash, StandardCharsets.US_ASCII);
  }

  /** The SHA-256 (hex) a presented token is looked up by. */
  public static String sha256Of(String presented) {
    return Sha256.hex(presented.trim());
  }

  /** True when {@code presented} is the operator token (constant-time comparison). */
  @Override
  public boolean accepts(String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        hash, Sha256.hex(presented.trim()).getBytes(StandardCharsets.US_ASCII));
  }
}
