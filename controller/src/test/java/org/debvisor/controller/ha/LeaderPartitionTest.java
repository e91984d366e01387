package org.debvisor.controller.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.debvisor.common.testing.Poll;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.MemberRepository;
import org.debvisor.controller.inventory.MemberRow;
import org.debvisor.controller.inventory.PartitionProxy;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.WriteFence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A network partition between the leader and PostgreSQL, made by a proxy that stops passing bytes
 * without closing anything: the leader steps down by its own clock while its renewal hangs, the
 * other controller takes the lease with the next fencing token even though the cut-off leader's
 * transaction still held the lease row's lock, and once the partition heals the old leader's late
 * writes are refused and leave nothing in the database.
 */
@ExtendWith(PostgresExtension.class)
class LeaderPartitionTest {

  private static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void theCutOffLeaderStepsDownTheOtherTakesOverAndTheLateWritesAreRefused(PostgresServer server)
      throws Exception {
    // Slow suite (about 10 s): it raced once (it asserted ctl-b's duties before they had started)
    // and then hung in its clean-up; both fixed, it stays out of the default suite's budget.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    PostgresUrl url = server.createDatabase();
    List<String> events = new ArrayList<>();
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try (PartitionProxy proxy =
            PartitionProxy.start(new InetSocketAddress(url.host(), url.port()));
        Database dbA = Database.open(PartitionProxy.through(url, proxy));
        Database dbB = Database.open(url);
        LeaderLease a = new LeaderLease(dbA, "ctl-a", PERIOD);
        LeaderLease b = new LeaderLease(dbB, "ctl-b", PERIOD);
        // Closed first: a failed assertion must not leave connections cut off while the leases and
        // databases close (they would wait on them for ever).
        AutoCloseable endCut = proxy::close) {
      a.start("ctl-a:5443", duties("ctl-a", events));
      await("ctl-a leads", a::isLeader);
      b.start("ctl-b:5443", duties("ctl-b", events));
      long tokenA = a.token().orElseThrow();
      long auditRows = auditRows(dbB);

      // ctl-a's coordinated writes, each on its own connection through the proxy, as a rollout
      // runner's: the first passed the fence (locking the lease row) when the partition came; the
      // second's fence check is sent into the partition.
      Connection first = connectThrough(proxy, url);
      Connection second = connectThrough(proxy, url);
      a.fence().check(first);
      proxy.blackhole();
      long cutAt = System.nanoTime();
      CompletableFuture<Void> firstWrite =
          CompletableFuture.runAsync(() -> appendAndCommit(first, "late after the fence"), writers);
      CountDownLatch secondStarted = new CountDownLatch(1);
      CompletableFuture<Void> secondWrite =
          CompletableFuture.runAsync(
              () -> {
                secondStarted.countDown();
                fenceAppendAndCommit(second, a.fence(), "late at the fence");
              },
              writers);
      secondStarted.await();

      await("ctl-a steps down", () -> !a.isLeader() && snapshot(events).contains("ctl-a down"));
      long steppedDownAfter = System.nanoTime() - cutAt;
      // The lease flips before its duties have started: wait for both.
      await("ctl-b leads", () -> b.isLeader() && snapshot(events).contains("ctl-b up"));
      assertThat(snapshot(events))
          .as("ctl-a stopped its work before ctl-b started any")
          .containsExactly("ctl-a up", "ctl-a down", "ctl-b up");
      assertThat(b.token()).contains(tokenA + 1);
      assertThat(a.token()).isEmpty();
      assertThat(firstWrite).as("still cut off").isNotDone();
      assertThat(secondWrite).as("still cut off").isNotDone();

      Instant seenBeforeHeal = lastSeen(dbB, "ctl-a");
      proxy.heal();
      Throwable secondFailure = failureOf(secondWrite);
      assertThat(secondFailure)
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("ctl-a does not hold the leader lease")
          .hasMessageContaining("fencing token " + tokenA + " is stale");
      assertThat(failureOf(firstWrite))
          .as("the server ended the transaction cut off while it held the lease row")
          .hasRootCauseInstanceOf(SQLException.class);
      assertThat(auditRows(dbB)).as("nothing ctl-a wrote late is stored").isEqualTo(auditRows);
      await(
          "ctl-a is seen again once the partition healed",
          () -> lastSeen(dbB, "ctl-a").isAfter(seenBeforeHeal));
      assertThat(a.isLeader()).isFalse();
      assertThat(b.isLeader()).isTrue();
      System.out.printf(
          "partition: ctl-a stepped down %d ms after the cut (lease period %d ms)%n",
          TimeUnit.NANOSECONDS.toMillis(steppedDownAfter), PERIOD.toMillis());
    } finally {
      writers.shutdownNow();
    }
  }

  private static LeaderDuties duties(String member, List<String> events) {
    return new LeaderDuties(
        () -> record(events, member + " up"), () -> {}, () -> record(events, member + " down"));
  }

  private static void record(List<String> events, String event) {
    synchronized (events) {
      events.add(event);
    }
  }

  private static List<String> snapshot(List<String> events) {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private static Connection connectThrough(PartitionProxy proxy, PostgresUrl url)
      throws SQLException {
    PostgresUrl through = PartitionProxy.through(url, proxy);
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(through.jdbcUrl());
    source.setUser(through.user());
    source.setPassword(through.password());
    Connection c = source.getConnection();
    c.setAutoCommit(false);
    return c;
  }

  private static void appendAndCommit(Connection c, String detail) {
    try (c) {
      new AuditLog(Clock.systemUTC())
          .append(c, new AuditEntry("ctl-a", "rollout.node", "n1", "engine", "ok", detail));
      c.commit();
    } catch (SQLException e) {
      throw new InventoryException("late write failed: " + e.getMessage(), e);
    }
  }

  private static void fenceAppendAndCommit(Connection c, WriteFence fence, String detail) {
    try (c) {
      fence.check(c);
      new AuditLog(Clock.systemUTC())
          .append(c, new AuditEntry("ctl-a", "rollout.node", "n1", "engine", "ok", detail));
      c.commit();
    } catch (SQLException e) {
      throw new InventoryException("late write failed: " + e.getMessage(), e);
    }
  }

  private static Throwable failureOf(CompletableFuture<Void> write) throws InterruptedException {
    try {
      write.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the late write neither failed nor succeeded", e);
    }
  }

  private static long auditRows(Database db) {
    return db.read(c -> AuditLog.page(c, 0, 10_000).size());
  }

  private static Instant lastSeen(Database db, String member) {
    return db.read(
        c ->
            new MemberRepository()
                .seenSince(c, Instant.EPOCH).stream()
                    .filter(m -> m.id().equals(member))
                    .map(MemberRow::seenAt)
                    .findFirst()
                    .orElseThrow());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, WAIT, Duration.ofMillis(20), condition);
  }
}
