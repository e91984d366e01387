package org.debvisor.controller.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Basic-auth credentials that passed the Argon2id check lately, so a script's next requests do not
 * pay the KDF again. Entries are keyed by an HMAC of user and password under a secret that lives
 * only in this process (the password itself is never kept), and remember the stored hash they were
 * checked against: a password change or removal from any process (the CLI too) changes or drops
 * that hash, so the entry stops matching at once. Entries also expire after {@code ttl}, and at
 * most {@code capacity} are kept (least recently used leave first).
 */
public final class VerifiedCredentials {

  /** How long a verified credential is trusted without a new KDF check. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  public static final int DEFAULT_CAPACITY = 1_024;

  private record Verified(String passwordHash, long expiresAtMillis) {}

  private final Clock clock;
  private final long ttlMillis;
  private final int capacity;
  private final SecretKeySpec secret;
  private final Map<String, Verified> entries;

  public VerifiedCredentials(Clock clock, Duration ttl, int capacity, SecureRandom random) {
    if (ttl.isNegative() || capacity < 0) {
      throw new IllegalArgumentException("ttl and capacity must not be negative");
    }
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
    this.capacity = capacity;
    byte[] key = new byte[32];
    random.nextBytes(key);
    this.secret = new SecretKeySpec(key, "HmacSHA256");
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > VerifiedCredentials.this.capacity;
          }
        };
  }

  /**
   * True when {@code name} and {@code password} were verified against {@code storedHash} (the hash
   * stored for the user now) within the time to live.
   */
  public boolean contains(String name, char[] password, String storedHash) {
    String key = key(name, password);
    synchronized (entries) {
      Verified e = entries.get(key);
      if (e == null) {
        return false;
      }
      if (clock.millis() >= e.expiresAtMillis() || !e.passwordHash().equals(storedHash)) {
        entries.remove(key);
        return false;
      }
      return true;
    }
  }

  /** Records that {@code password} matched {@code storedHash} for {@code name} just now. */
  public void add(String name, char[] password, String storedHash) {
    String key = key(name, password);
    Verified e = new Verified(storedHash, clock.millis() + ttlMillis);
    synchronized (entries) {
      entries.put(key, e);
    }
  }

  /** How many entries are held (expired ones included until touched). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private String key(String name, char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] pw = new byte[encoded.remaining()];
    encoded.get(pw);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      mac.update(name.getBytes(StandardCharsets.UTF_8));
      // A separator no user name contains, so ("ab", "c") and ("a", "bc") differ.
      mac.update((byte) 0);
      mac.update(pw);
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    } finally {
      Arrays.fill(pw, (byte) 0);
      if (encoded.hasArray()) {
        Arrays.fill(encoded.array(), (byte) 0);
      }
    }
  }
}
