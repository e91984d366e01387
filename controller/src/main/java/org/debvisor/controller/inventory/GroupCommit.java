package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Durable writes of concurrent callers committed together: each caller queues its work, and
 * whichever caller holds the committer's turn runs everything queued (up to {@code maxBatch}) in
 * one transaction with one commit, so N concurrent enrolments wait for the disk once instead of N
 * times. Work queued while a commit is in flight forms the next group; nobody waits on a timer, so
 * a lone caller pays nothing extra.
 *
 * <p>In a group of several works each runs inside its own savepoint: one that throws is rolled back
 * alone and gets its own error, the others commit. The savepoints are never released: each nests in
 * the one before, which undoes a failed work just as well (rolling back to a savepoint keeps all
 * that came before it) and spares a round trip per work; the commit ends them all. A lone work (the
 * common case at moderate rates) runs without one, saving a statement: if it throws, its whole
 * transaction rolls back, which is the same outcome for its caller. A caller returns only after the
 * commit that holds its work: what it acknowledges is durable. If the commit itself fails, every
 * caller of that group gets the failure and none of their work is stored.
 */
public final class GroupCommit {

  private final Database db;
  private final int maxBatch;
  private final ConcurrentLinkedQueue<Queued<?>> queue = new ConcurrentLinkedQueue<>();
  // The committer's turn: its holder drains the queue. Callers whose work another holder already
  // committed take it only to see that they are done.
  private final ReentrantLock turn = new ReentrantLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedWorks = new AtomicLong();

  public GroupCommit(Database db, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    this.db = db;
    this.maxBatch = maxBatch;
  }

  /**
   * Runs {@code work} in a durable transaction shared with other callers' work, and returns its
   * result once that transaction committed. An exception thrown by {@code work} is rethrown here
   * (an {@link SQLException} as {@link InventoryException}) and undoes only this work.
   */
  public <T> T write(Database.SqlWork<T> work) {
    Queued<T> mine = new Queued<>(work);
    queue.add(mine);
    turn.lock();
    try {
      // The queue is FIFO and drained only under the turn: mine is committed after a few groups.
      while (!mine.settled()) {
        commitNextGroup();
      }
    } finally {
      turn.unlock();
    }
    return mine.outcome();
  }

  /** Transactions committed so far (for tests and metrics). */
  public long commits() {
    return commits.get();
  }

  /** Works stored by those commits (refused works included, failed ones not). */
  public long committedWorks() {
    return committedWorks.get();
  }

  /** Callers queued and not yet taken into a group. */
  public int waiting() {
    return queue.size();
  }

  private void commitNextGroup() {
    List<Queued<?>> group = new ArrayList<>();
    Queued<?> next;
    while (group.size() < maxBatch && (next = queue.poll()) != null) {
      group.add(next);
    }
    if (group.isEmpty()) {
      return;
    }
    try {
      if (group.size() == 1) {
        group.get(0).runAlone();
      } else {
        db.write(
            c -> {
              for (Queued<?> q : group) {
                q.runInSavepoint(c);
              }
              return null;
            });
      }
    } catch (RuntimeException e) {
      // Nothing of the group is stored: each caller hears why.
      group.forEach(q -> q.fail(e));
      return;
    }
    commits.incrementAndGet();
    committedWorks.addAndGet(group.size());
    group.forEach(Queued::publish);
  }

  /**
   * One caller's work and what came of it. Written by the turn's holder, read by the caller after
   * it took the turn itself, so the lock orders the fields' writes before their reads.
   */
  private final class Queued<T> {
    private final Database.SqlWork<T> work;
    private T value;
    private RuntimeException error;
    private boolean settled;

    Queued(Database.SqlWork<T> work) {
      this.work = work;
    }

    /**
     * Runs the work; if it throws, rolls back to before it and keeps its error. A failing rollback
     * (the connection broke) fails the whole group. The savepoint stays (see the class comment).
     */
    void runInSavepoint(Connection c) throws SQLException {
      Savepoint before = c.setSavepoint();
      try {
        value = work.run(c);
        error = null;
      } catch (SQLException e) {
        c.rollback(before);
        error =
            new InventoryException(
                "inventory write failed (" + db.location() + "): " + e,
                e,
                db.dialect().isTransient(e),
                db.location());
      } catch (RuntimeException e) {
        c.rollback(before);
        error = e;
      }
    }

    /**
     * Runs the work as its own transaction. Its error (an {@link SQLException} wrapped by {@link
     * Database#write} exactly as {@link #runInSavepoint} wraps it) fails the group of one.
     */
    void runAlone() {
      value = db.write(work);
      error = null;
    }

    /** The group committed: the work's own result or error stands. */
    void publish() {
      settled = true;
    }

    void fail(RuntimeException groupFailure) {
      value = null;
      error = groupFailure;
      settled = true;
    }

    boolean settled() {
      return settled;
    }

    T outcome() {
      if (error != null) {
        throw error;
      }
      return value;
    }
  }
}
