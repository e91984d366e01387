package org.debvisor.controller.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code
 * $argon2id$v=19$m=..,t=..,p=..$salt$hash}), so the cost stored with each hash is the one used to
 * check it, and a later cost raise keeps old hashes valid.
 */
public final class PasswordHasher {

  /** OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
  public static final Cost DEFAULT_COST = new Cost(19 * 1024, 2, 1);

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /** Memory in KiB, passes, lanes. */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    public Cost {
      if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
        throw new IllegalArgumentException("invalid Argon2 cost " + memoryKib + "/" + iterations);
      }
    }
  }

  private final Cost cost;
  private final SecureRandom random;
  // Each derivation holds memoryKib of heap and a core: a flood of logins queues here in arrival
  // order (memory stays at slots x memoryKib) instead of piling up and starving other requests.
  private final Semaphore slots;
  private final int slotCount;

  /** A hasher running as many derivations at once as this machine has cores. */
  public PasswordHasher(Cost cost, SecureRandom random) {
    this(cost, random, Runtime.getRuntime().availableProcessors());
  }

  public PasswordHasher(Cost cost, SecureRandom random, int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    this.cost = cost;
    this.random = random;
    this.slots = new Semaphore(slots, true);
    this.slotCount = slots;
  }

  /** How many derivations may run at once. */
  public int slots() {
    return slotCount;
  }

  /** A new salted hash of {@code password}. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, cost, HASH_BYTES);
    return "$argon2id$v=19$m="
        + cost.memoryKib()
        + ",t="
        + cost.iterations()
        + ",p="
        + cost.parallelism()
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /** True when {@code password} matches {@code encoded}; false for any malformed hash. */
  public boolean matches(char[] password, String encoded) {
    String[] parts = encoded.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      Cost stored = parseCost(parts[3]);
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      return MessageDigest.isEqual(expected, derive(password, salt, stored, expected.length));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Burns the same work as a check, so an unknown user costs as long as a wrong password. */
  public void spend(char[] password) {
    derive(password, new byte[SALT_BYTES], cost, HASH_BYTES);
  }

  private static Cost parseCost(String text) {
    int m = -1;
    int t = -1;
    int p = -1;
    for (String kv : text.split(",")) {
      String[] pair = kv.split("=", 2);
      if (pair.length != 2) {
        throw new IllegalArgumentException("bad cost " + text);
      }
      int value = Integer.parseInt(pair[1]);
      switch (pair[0]) {
        case "m" -> m = value;
        case "t" -> t = value;
        case "p" -> p = value;
        default -> throw new IllegalArgumentException("bad cost " + text);
      }
    }
    return new Cost(m, t, p);
  }

  private byte[] derive(char[] password, byte[] salt, Cost cost, int length) {
    slots.acquireUninterruptibly();
    try {
      return deriveNow(password, salt, cost, length);
    } finally {
      slots.release();
    }
  }

  private static byte[] deriveNow(char[] password, byte[] salt, Cost cost, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build());
    byte[] out = new byte[length];
    byte[] utf8 = new String(password).getBytes(StandardCharsets.UTF_8);
    generator.generateBytes(utf8, out);
    java.util.Arrays.fill(utf8, (byte) 0);
    return out;
  }
}
