package org.debvisor.controller.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.LeaseRow;
import org.debvisor.controller.inventory.MemberRepository;
import org.debvisor.controller.inventory.MemberRow;
import org.debvisor.controller.inventory.WriteFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader lease in the database, for controllers sharing PostgreSQL. Every third of a lease
 * period each controller refreshes its member row and renews the lease (leader) or tries to take it
 * (the others); a controller that saw the lease held by another tries again just after the expiry
 * it read, not at its next third, so a takeover follows a dead leader's lease by milliseconds. Each
 * acquisition gets the next fencing token; the leader's coordinated writes check it ({@link
 * #fence}), so a leader paused past its lease cannot write once another took over. A leader that
 * cannot renew stops leading when its lease would end by its own monotonic clock, before any other
 * controller can take over.
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
  private final ScheduledThreadPoolExecutor ticker;
  private final long everyMillis;
  // Duties run one at a time, whichever thread starts them; never held across a database call
  // of this class, so a hung renewal cannot keep the deadline check from stepping down.
  private final Object dutyLock = new Object();
  private LeaderDuties duties;
  private Instant startedAt;
  // 0: not leading. Set by the renewal thread; the deadline check only clears it.
  private final AtomicLong token = new AtomicLong();
  private volatile long validUntilNanos;
  private volatile boolean closed;
  // The lease row as the last successful tick read it; null before the first.
  private volatile SeenLease seen;

  /**
   * The lease as this controller last read it: its holder and fencing token, how long before that
   * read its holder had last renewed it (by the database's clock), and when the read began (by this
   * controller's monotonic clock).
   */
  public record SeenLease(String holder, long token, Duration ageWhenRead, long readAtNanos) {

    /** Seconds since the holder last renewed the lease, as this controller knows at {@code now}. */
    public double ageSeconds(long nowNanos) {
      return Math.max(0, ageWhenRead.toNanos() + (nowNanos - readAtNanos)) / 1e9;
    }
  }

  /** What one tick did: the token held after it (0: none) and the lease row it read after. */
  private record Tick(long token, Optional<LeaseRow> lease, Instant at) {}

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
    // Two threads: the renewal, and the deadline check that must run while a renewal hangs on a
    // database cut off without a reset (a network partition).
    this.ticker =
        new ScheduledThreadPoolExecutor(
            2, Thread.ofPlatform().daemon().name("leader-lease-", 0).factory());
    // The next tick is always a one-shot task: close() must not wait for it.
    ticker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.everyMillis = tickMillis(period);
  }

  @Override
  public void start(String address, LeaderDuties duties) {
    this.address = address;
    this.duties = duties;
    ticker.execute(this::tickThenSchedule);
    long check = Math.max(20, period.toMillis() / 10);
    ticker.scheduleWithFixedDelay(this::stepDownIfExpired, check, check, TimeUnit.MILLISECONDS);
  }

  private void tickThenSchedule() {
    long delay = everyMillis;
    try {
      delay = tick();
    } finally {
      if (!closed) {
        try {
          ticker.schedule(this::tickThenSchedule, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // closing
        }
      }
    }
  }

  /** Renews or tries to take the lease; returns the milliseconds until the next tick. */
  private long tick() {
    if (closed) {
      return everyMillis;
    }
    long before = System.nanoTime();
    long held = token.get();
    Tick done;
    try {
      done =
          db.write(
              c -> {
                // Cut off mid-renewal, the lease row must not stay locked past a period.
                db.dialect().boundIdleInTransaction(c, period);
                Instant at = db.dialect().now(c);
                if (startedAt == null) {
                  startedAt = at;
                }
                members.upsert(c, new MemberRow(memberId, address, startedAt, at));
                long token =
                    held != 0 && leases.renew(c, NAME, memberId, held, at, period)
                        ? held
                        : leases.acquire(c, NAME, memberId, at, period).orElse(0L);
                return new Tick(token, leases.find(c, NAME), at);
              });
    } catch (InventoryException e) {
      log.warn("cannot reach the database for the leader lease: {}", e.getMessage());
      stepDownIfExpired();
      return everyMillis;
    } catch (RuntimeException e) {
      log.error("leader lease: {}", e.toString(), e);
      return everyMillis;
    }
    done.lease()
        .ifPresent(
            l ->
                seen =
                    new SeenLease(
                        l.holder(), l.token(), Duration.between(l.renewedAt(), done.at()), before));
    long now = done.token();
    // Measured from before the transaction began: the database's expiry is later than this.
    long until = before + period.toNanos() - period.toNanos() / 10;
    if (held != 0 && now == held) {
      validUntilNanos = until;
      // Unless the deadline check stepped down meanwhile: then this renewed lease just runs out
      // and a later tick takes it afresh, with a new token.
      if (token.get() == held) {
        duty(duties.whileLeading(), "adopt work");
      }
      return everyMillis;
    }
    if (held != 0 && token.compareAndSet(held, 0)) {
      log.warn("lost the leader lease (token {})", held);
      duty(duties.stepDown(), "step down");
    }
    if (now != 0) {
      validUntilNanos = until;
      token.set(now);
      log.info("{} leads (fencing token {})", memberId, now);
      duty(duties.takeOver(), "take over");
      return everyMillis;
    }
    return done.lease().map(l -> untilExpiry(period, l, done.at())).orElse(everyMillis);
  }

  /**
   * Milliseconds until just after another holder's lease ends, by the database's clock as read in
   * the tick (no sooner than 20 ms, no later than the usual third of a period). The margin covers
   * the time between that read and this tick's end; an attempt that still comes early only fails
   * and aims again.
   */
  static long untilExpiry(Duration period, LeaseRow lease, Instant dbNow) {
    long margin = Math.max(10, period.toMillis() / 100);
    long left = Duration.between(dbNow, lease.expiresAt()).toMillis() + margin;
    return Math.clamp(left, 20, tickMillis(period));
  }

  /** The usual time between ticks: a third of a period, at least 100 ms. */
  private static long tickMillis(Duration period) {
    return Math.max(100, period.toMillis() / 3);
  }

  /**
   * Stops leading once the lease would end by this controller's own clock without a renewal: before
   * any other controller can take it, even while a renewal hangs on an unreachable database.
   */
  private void stepDownIfExpired() {
    long held = token.get();
    if (held != 0 && System.nanoTime() - validUntilNanos >= 0 && token.compareAndSet(held, 0)) {
      log.warn(
          "leader lease (token {}) not renewed within its period of {} ms; stepping down",
          held,
          period.toMillis());
      duty(duties.stepDown(), "step down");
    }
  }

  private void duty(Runnable duty, String what) {
    synchronized (dutyLock) {
      try {
        duty.run();
      } catch (RuntimeException e) {
        log.error("leader duty '{}' failed: {}", what, e.toString(), e);
      }
    }
  }

  @Override
  public boolean isLeader() {
    return token.get() != 0 && System.nanoTime() - validUntilNanos < 0;
  }

  /** The fencing token of the current lead, or empty when not leading. */
  public Optional<Long> token() {
    long t = token.get();
    return t == 0 ? Optional.empty() : Optional.of(t);
  }

  @Override
  public WriteFence fence() {
    return new LeaseFence(memberId, token::get, db.dialect(), period);
  }

  @Override
  public String memberId() {
    return memberId;
  }

  /** The lease as the last successful renewal or attempt read it; empty before the first. */
  public Optional<SeenLease> seen() {
    return Optional.ofNullable(seen);
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
    long held = token.getAndSet(0);
    if (held != 0) {
      duty(duties.stepDown(), "step down");
      try {
        db.write(c -> leases.release(c, NAME, memberId, held, db.dialect().now(c)));
      } catch (RuntimeException e) {
        log.warn("could not hand back the leader lease: {}", e.getMessage());
      }
    }
  }
}
