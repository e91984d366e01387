package org.debvisor.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;

/** Operators' bearer tokens, known only by their SHA-256, compared in constant time. */
final class TokenRegistry {

  private record Entry(String name, byte[] sha256) {}

  private final List<Entry> entries;

  TokenRegistry(List<OperatorToken> tokens) {
    this.entries =
        tokens.stream().map(t -> new Entry(t.name(), HexFormat.of().parseHex(t.sha256()))).toList();
  }

  /** The name of the token's holder, if the token is known. */
  Optional<String> holderOf(String token) {
    byte[] hash = sha256(token);
    String holder = null;
    for (Entry e : entries) {
      // Check every entry so the time taken does not reveal which one matched.
      if (MessageDigest.isEqual(e.sha256(), hash)) {
        holder = e.name();
      }
    }
    return Optional.ofNullable(holder);
  }

  private static byte[] sha256(String token) {
    return Sha256.bytes(token.getBytes(StandardCharsets.UTF_8));
  }
}
