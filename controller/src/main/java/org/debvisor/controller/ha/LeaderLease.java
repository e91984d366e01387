package org.debvisor.controller.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.MemberRepository;
import org.debvisor.controller.inventory.MemberRow;
import org.debvisor.controller.inventory.WriteFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader lease in the database, for controllers sharing PostgreSQL. Every third of a lease
 * period each controller refreshes its member row and renews the lease (leader) or tries to take it
 * (the others, once it expired). Each acquisition gets the next fencing token; the leader's
 * coordinated writes check it ({@link #fence}), so a leader paused past its lease cannot write once
 * another took over. A leader that cannot renew stops leading when its lease would end by its own
 * monotonic clock, before any other controller can take over.
 */
public final class LeaderLease implements Leadership {

  /** The lease's name in the {@code leases} table. */
  public static final String NAME = "leader";

  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);

  private final Database db;
  private final String memberId;
  private String address;
  private final Duration period;
  private final LeaseRepository leases = new LeaseRepository();
  private final MemberRepository members = new MemberRepository();
  private final ScheduledExecutorService ticker;
  private LeaderDuties duties;
  private Instant startedAt;
  // 0: not leading. Written by the ticker thread only.
  private volatile long token;
  private volatile long validUntilNanos;
  private volatile boolean closed;

  /**
   * @param period how long a lease holds unless renewed: the longest a failed leader's work waits
   */
  public LeaderLease(Database db, String memberId, Duration period) {
    if (period.toMillis() < 300) {
      throw new IllegalArgumentException("lease period must be at least 300 ms, got " + period);
    }
    this.db = db;
    this.memberId = memberId;
    this.period = period;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("leader-lease").factory());
  }

  @Override
  public void start(String address, LeaderDuties duties) {
    this.address = address;
    this.duties = duties;
    long every = Math.max(100, period.toMillis() / 3);
    ticker.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (closed) {
      return;
    }
    long before = System.nanoTime();
    long held = token;
    long now;
    try {
      now =
          db.write(
              c -> {
                Instant at = db.dialect().now(c);
                if (startedAt == null) {
                  startedAt = at;
                }
                members.upsert(c, new MemberRow(memberId, address, startedAt, at));
                if (held != 0 && leases.renew(c, NAME, memberId, held, at, period)) {
                  return held;
                }
                return leases.acquire(c, NAME, memberId, at, period).orElse(0L);
              });
    } catch (InventoryException e) {
      if (held != 0 && System.nanoTime() - validUntilNanos >= 0) {
        log.warn("leader lease not renewed in time ({}); stepping down", e.getMessage());
        lose();
      } else {
        log.warn("cannot reach the database for the leader lease: {}", e.getMessage());
      }
      return;
    } catch (RuntimeException e) {
      log.error("leader lease: {}", e.toString(), e);
      return;
    }
    // Measured from before the transaction began: the database's expiry is later than this.
    validUntilNanos = before + period.toNanos() - period.toNanos() / 10;
    if (now == held) {
      if (held != 0) {
        run(duties.whileLeading(), "adopt work");
      }
      return;
    }
    if (held != 0) {
      log.warn("lost the leader lease (token {})", held);
      lose();
    }
    if (now != 0) {
      token = now;
      log.info("{} leads (fencing token {})", memberId, now);
      run(duties.takeOver(), "take over");
    }
  }

  private void lose() {
    token = 0;
    run(duties.stepDown(), "step down");
  }

  private static void run(Runnable duty, String what) {
    try {
      duty.run();
    } catch (RuntimeException e) {
      log.error("leader duty '{}' failed: {}", what, e.toString(), e);
    }
  }

  @Override
  public boolean isLeader() {
    return token != 0 && System.nanoTime() - validUntilNanos < 0;
  }

  /** The fencing token of the current lead, or empty when not leading. */
  public Optional<Long> token() {
    long t = token;
    return t == 0 ? Optional.empty() : Optional.of(t);
  }

  @Override
  public WriteFence fence() {
    return new LeaseFence(memberId, () -> token);
  }

  @Override
  public String memberId() {
    return memberId;
  }

  /** How long a lease holds unless renewed. */
  public Duration period() {
    return period;
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdown();
    try {
      ticker.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long held = token;
    if (held != 0) {
      lose();
      try {
        db.write(c -> leases.release(c, NAME, memberId, held, db.dialect().now(c)));
      } catch (RuntimeException e) {
        log.warn("could not hand back the leader lease: {}", e.getMessage());
      }
    }
  }
}
