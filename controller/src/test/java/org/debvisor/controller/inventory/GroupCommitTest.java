package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditVerifier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Group commit on both engines: works queued while a commit runs are committed together in one
 * transaction, each returns its own result, and one that fails is undone alone. The works append
 * audit rows, so the hash chain is checked under grouped appends too.
 */
@ExtendWith(PostgresExtension.class)
class GroupCommitTest {

  private static final long WAIT_S = 60;

  @TempDir Path dir;

  private final AuditLog audit =
      new AuditLog(java.time.Clock.fixed(Instant.parse("2026-12-02T09:00:00Z"), ZoneOffset.UTC));

  private Database.SqlWork<String> append(String target) {
    return c -> {
      audit.append(c, new AuditEntry("test", "node.register", target, "127.0.0.1", "ok", ""));
      return "stored " + target;
    };
  }

  /**
   * Holds the committer's turn inside a first work until {@code queued} further callers wait, so
   * those are certain to form the next group.
   */
  private static final class Blocker {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Database.SqlWork<String> work() {
      return c -> {
        entered.countDown();
        try {
          if (!release.await(WAIT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return "blocker";
      };
    }
  }

  private static void awaitWaiting(GroupCommit group, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (group.waiting() < n) {
      assertThat(System.nanoTime()).as(n + " callers queued in time").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void callersQueuedDuringACommitShareTheNextOneAndEachGetsItsResult(
      SqlDialect engine, PostgresServer server) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try (Database db = TestInventories.open(engine, dir, server)) {
      GroupCommit group = new GroupCommit(db, 64);
      Blocker blocker = new Blocker();
      Future<String> first = callers.submit(() -> group.write(blocker.work()));
      assertThat(blocker.entered.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
      List<Future<String>> rest = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String target = "node-" + i;
        rest.add(callers.submit(() -> group.write(append(target))));
      }
      awaitWaiting(group, 10);
      blocker.release.countDown();

      assertThat(first.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("blocker");
      for (int i = 0; i < 10; i++) {
        assertThat(rest.get(i).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("stored node-" + i);
      }
      assertThat(group.commits()).as("the blocker's commit, then one for the ten").isEqualTo(2);
      assertThat(group.committedWorks()).isEqualTo(11);
      assertThat(db.read(GroupCommitTest::targets))
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, 10).mapToObj(i -> "node-" + i).toList());
      assertChainIntact(db);
    } finally {
      callers.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aFailingWorkIsUndoneAloneAndTheOthersOfItsGroupCommit(
      SqlDialect engine, PostgresServer server) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (Database db = TestInventories.open(engine, dir, server)) {
      GroupCommit group = new GroupCommit(db, 64);
      Blocker blocker = new Blocker();
      Future<String> first = callers.submit(() -> group.write(blocker.work()));
      assertThat(blocker.entered.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
      Future<String> before = callers.submit(() -> group.write(append("before")));
      awaitWaiting(group, 1);
      // Writes its audit row, then fails on SQL the engine refuses: both must be undone.
      Future<String> bad =
          callers.submit(
              () ->
                  group.write(
                      c -> {
                        append("bad").run(c);
                        try (PreparedStatement s =
                            c.prepareStatement("INSERT INTO no_such_table VALUES (1)")) {
                          s.executeUpdate();
                        }
                        return "unreachable";
                      }));
      awaitWaiting(group, 2);
      Future<String> after = callers.submit(() -> group.write(append("after")));
      awaitWaiting(group, 3);
      blocker.release.countDown();

      assertThat(first.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("blocker");
      assertThat(before.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("stored before");
      assertThat(after.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("stored after");
      assertThatThrownBy(() -> bad.get(WAIT_S, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("inventory write failed")
          .hasMessageContaining("no_such_table");
      assertThat(group.commits()).as("the three shared one commit").isEqualTo(2);
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("before", "after");
      assertChainIntact(db);

      // A work that throws its own refusal: the caller gets that very exception, nothing stored.
      IllegalArgumentException refusal = new IllegalArgumentException("refused");
      assertThatThrownBy(
              () ->
                  group.write(
                      c -> {
                        append("refused").run(c);
                        throw refusal;
                      }))
          .isSameAs(refusal);
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("before", "after");
      assertThat(group.write(append("later"))).isEqualTo("stored later");
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("before", "after", "later");
      assertChainIntact(db);
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * The group's savepoints are not released, so each nests in the one before: undoing a failed work
   * must still keep every work before it and let every work after it commit, however the failures
   * and successes alternate.
   */
  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void failuresBetweenSuccessesInOneGroupUndoOnlyThemselves(
      SqlDialect engine, PostgresServer server) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (Database db = TestInventories.open(engine, dir, server)) {
      GroupCommit group = new GroupCommit(db, 64);
      Blocker blocker = new Blocker();
      Future<String> first = callers.submit(() -> group.write(blocker.work()));
      assertThat(blocker.entered.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
      List<String> order = List.of("a", "bad1", "bad2", "b", "bad3", "c");
      List<Future<String>> results = new ArrayList<>();
      for (String target : order) {
        Database.SqlWork<String> work = target.startsWith("bad") ? failing(target) : append(target);
        results.add(callers.submit(() -> group.write(work)));
        // One at a time, so the queue (and the group) keeps this order.
        awaitWaiting(group, results.size());
      }
      blocker.release.countDown();

      assertThat(first.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("blocker");
      for (int i = 0; i < order.size(); i++) {
        String target = order.get(i);
        Future<String> result = results.get(i);
        if (target.startsWith("bad")) {
          assertThatThrownBy(() -> result.get(WAIT_S, TimeUnit.SECONDS))
              .cause()
              .isInstanceOf(InventoryException.class)
              .hasMessageContaining("no_such_table");
        } else {
          assertThat(result.get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("stored " + target);
        }
      }
      assertThat(group.commits()).as("the six shared one commit").isEqualTo(2);
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("a", "b", "c");
      assertChainIntact(db);
      // The transaction and its savepoints ended with the commit: the connection serves again.
      assertThat(group.write(append("later"))).isEqualTo("stored later");
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("a", "b", "c", "later");
      assertChainIntact(db);
    } finally {
      callers.shutdownNow();
    }
  }

  /** Appends its audit row, then fails on SQL the engine refuses: both must be undone. */
  private Database.SqlWork<String> failing(String target) {
    return c -> {
      append(target).run(c);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO no_such_table VALUES (1)")) {
        s.executeUpdate();
      }
      return "unreachable";
    };
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void manyConcurrentCallersAreEachStoredOnceWithinTheGroupBound(
      SqlDialect engine, PostgresServer server) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (Database db = TestInventories.open(engine, dir, server)) {
      GroupCommit group = new GroupCommit(db, 4);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String target = "n" + i;
        results.add(callers.submit(() -> group.write(append(target))));
      }
      for (int i = 0; i < 200; i++) {
        assertThat(results.get(i).get(WAIT_S, TimeUnit.SECONDS)).isEqualTo("stored n" + i);
      }
      assertThat(group.committedWorks()).isEqualTo(200);
      assertThat(group.commits()).as("at most 4 per commit").isBetween(50L, 200L);
      List<String> stored = db.read(GroupCommitTest::targets);
      assertThat(stored).hasSize(200).doesNotHaveDuplicates();
      assertChainIntact(db);
    } finally {
      callers.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aLoneFailingWorkStoresNothingAndGetsItsOwnError(SqlDialect engine, PostgresServer server)
      throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      GroupCommit group = new GroupCommit(db, 64);
      // Alone in its group (no savepoint): its audit row must go with the failed statement.
      assertThatThrownBy(
              () ->
                  group.write(
                      c -> {
                        append("bad").run(c);
                        try (PreparedStatement s =
                            c.prepareStatement("INSERT INTO no_such_table VALUES (1)")) {
                          s.executeUpdate();
                        }
                        return "unreachable";
                      }))
          .isInstanceOfSatisfying(
              InventoryException.class,
              e -> assertThat(e.isTransient()).as("a schema error is not transient").isFalse())
          .hasMessageStartingWith("inventory write failed (" + db.location() + "): ")
          .hasMessageContaining("no_such_table")
          .hasCauseInstanceOf(SQLException.class);
      assertThat(db.read(GroupCommitTest::targets)).isEmpty();
      assertThat(group.commits()).as("nothing committed").isZero();
      assertThat(group.committedWorks()).isZero();

      // The connection it used is fine for the next caller.
      assertThat(group.write(append("next"))).isEqualTo("stored next");
      assertThat(db.read(GroupCommitTest::targets)).containsExactly("next");
      assertThat(group.commits()).isEqualTo(1);
      assertChainIntact(db);
    }
  }

  @org.junit.jupiter.api.Test
  void aGroupBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new GroupCommit(null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBatch must be at least 1, was 0");
  }

  private static List<String> targets(Connection c) throws SQLException {
    List<String> targets = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT target FROM audit_log ORDER BY seq");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        targets.add(rs.getString(1));
      }
    }
    return targets;
  }

  private static void assertChainIntact(Database db) {
    AuditVerifier.Result chain = db.read(c -> new AuditVerifier().verify(c));
    assertThat(chain.intact()).as(chain.problem()).isTrue();
  }
}
