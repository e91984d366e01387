package org.debvisor.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.debvisor.controller.identity.PasswordHasher;

/**
 * The limit of a login: the controller's own {@link PasswordHasher} with its default Argon2id cost
 * checking a password in this JVM, no HTTP, no database. With many callers it queues on the
 * hasher's slots exactly as logins in the controller do.
 */
final class KdfLimit {

  private final PasswordHasher hasher =
      new PasswordHasher(PasswordHasher.DEFAULT_COST, new SecureRandom());
  private final char[] password = "bench-kdf-password".toCharArray();
  private final String hash = hasher.hash(password);

  /** {@code callers} threads check the password until {@code count} checks or {@code limit}. */
  LoadResult run(String scenario, int callers, long count, Duration limit) throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicLong started = new AtomicLong();
    long deadline = System.nanoTime() + limit.toNanos();
    long t0 = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
      for (int i = 0; i < callers; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (started.incrementAndGet() <= count && System.nanoTime() < deadline) {
                    long s = System.nanoTime();
                    if (!hasher.matches(password, hash)) {
                      throw new IllegalStateException("the password did not match its own hash");
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Histogram h = recorder.getIntervalHistogram();
    return LoadResult.of(scenario, "limit (KDF alone)", h, h.getTotalCount(), 0, seconds);
  }

  /** How many checks run at once: the controller's hasher has the same, one per core. */
  int slots() {
    return hasher.slots();
  }

  /** The cost as the PHC string states it, e.g. {@code m=19456,t=2,p=1}. */
  String cost() {
    return hash.split("\\$")[3];
  }
}
