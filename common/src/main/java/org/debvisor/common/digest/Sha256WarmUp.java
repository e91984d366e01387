package org.debvisor.common.digest;

import java.security.MessageDigest;

/**
 * Gets the JIT to compile SHA-256 in the background before a large file is hashed. A fresh JVM
 * hashes in the interpreter, then in C1's code (about 25 MB/s), until C2 compiles the digest loop
 * into the CPU's SHA instructions (over 1 GB/s); hashing a 56 MB ISO as the first large input took
 * most of a second. Hashing a buffer of zeros while the caller does other work (reads its input,
 * waits for xorriso) gets that compilation done first.
 */
public final class Sha256WarmUp {

  private static final int CHUNK = 1 << 16;
  private static final int CHUNKS_PER_ROUND = 16;
  // A round (1 MiB) this quick runs compiled: about 30 times slower before.
  private static final long COMPILED_NANOS = 3_000_000;
  // The compiler needs about 3 MiB of hashing to choose the loop; after that the thread mostly
  // waits for it, so later rounds pause instead of taking a core from the caller.
  private static final int EAGER_ROUNDS = 4;
  private static final long PAUSE_MILLIS = 10;
  private static final int MAX_ROUNDS = 40;

  private Sha256WarmUp() {}

  /** Starts the warm-up on a daemon thread; it ends by itself (within about a second). */
  public static Thread start() {
    return Thread.ofPlatform().daemon().name("sha256-warm-up").start(Sha256WarmUp::run);
  }

  private static void run() {
    MessageDigest md = Sha256.digest();
    byte[] chunk = new byte[CHUNK];
    try {
      for (int round = 0; round < MAX_ROUNDS; round++) {
        long start = System.nanoTime();
        for (int k = 0; k < CHUNKS_PER_ROUND; k++) {
          md.update(chunk);
        }
        if (System.nanoTime() - start < COMPILED_NANOS) {
          return;
        }
        if (round >= EAGER_ROUNDS) {
          Thread.sleep(PAUSE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
