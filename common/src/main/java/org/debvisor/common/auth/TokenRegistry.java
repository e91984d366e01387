package org.debvisor.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.debvisor.common.digest.Sha256;

/** Operators' bearer tokens, known only by their SHA-256, compared in constant time. */
final class TokenRegistry {

  private record Entry(String name, byte[] sha256) {}

  private final List<Entry> entries;
  // Per entry, the last presented token whose hash matched it: a caller repeating a valid token
  // (every call of a bearer-token client) is recognised by a constant-time comparison instead of
  // a SHA-256, which the agent's C1-only JIT runs in plain Java (~3 % of a plaintext Status call's
  // CPU). Only tokens that matched are kept, so nothing an unknown caller sends is remembered.
  private final AtomicReferenceArray<byte[]> verified;

  TokenRegistry(List<OperatorToken> tokens) {
    this.entries =
        tokens.stream().map(t -> new Entry(t.name(), HexFormat.of().parseHex(t.sha256()))).toList();
    this.verified = new AtomicReferenceArray<>(entries.size());
  }

  /** The name of the token's holder, if the token is known. */
  Optional<String> holderOf(String token) {
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    String holder = null;
    for (int i = 0; i < entries.size(); i++) {
      // The presented bytes first: isEqual's time then depends on their length only.
      if (MessageDigest.isEqual(presented, verified.get(i))) {
        holder = entries.get(i).name();
      }
    }
    if (holder != null) {
      return Optional.of(holder);
    }
    byte[] hash = Sha256.bytes(presented);
    for (int i = 0; i < entries.size(); i++) {
      // Check every entry so the time taken does not reveal which one matched.
      if (MessageDigest.isEqual(entries.get(i).sha256(), hash)) {
        holder = entries.get(i).name();
        verified.set(i, presented);
      }
    }
    return Optional.ofNullable(holder);
  }
}
