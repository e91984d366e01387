package org.debvisor.controller.rest;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads logins run on: one per core, because each login is one Argon2id derivation that keeps
 * a core busy, with a bounded queue in arrival order. A burst of logins waits here, so the shared
 * request threads stay free for everything else (a list must not queue behind 100 logins), and at
 * most {@code threads} derivations hold their memory at once. A login arriving at a full queue is
 * refused at once (503) rather than after the request timeout.
 */
final class LoginPool implements AutoCloseable {

  private final ThreadPoolExecutor pool;

  LoginPool(int threads, int queued) {
    AtomicInteger count = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queued, true),
            r -> {
              Thread t = new Thread(r, "rest-login-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    // Idle login threads end; a quiet controller keeps none.
    pool.allowCoreThreadTimeOut(true);
  }

  /** A pool sized to this machine's cores. */
  static LoginPool forThisMachine() {
    return new LoginPool(Runtime.getRuntime().availableProcessors(), RestLimits.MAX_QUEUED_LOGINS);
  }

  Executor executor() {
    return pool;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
