package org.debvisor.agent.config;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that fsync the members of a {@link SyncGroup} in parallel. A thread is started only
 * when a group needs one and none is idle, and ends after {@link #IDLE} without work, so an agent
 * that applies nothing keeps none. Handing an fsync to a waiting thread costs a wake-up; starting a
 * virtual thread per fsync (as before) cost more CPU than the rest of the apply's disk work,
 * because a virtual thread blocked in {@code fsync} makes its scheduler add and then retire a
 * carrier.
 */
final class FsyncThreads implements Executor {

  static final Duration IDLE = Duration.ofSeconds(30);

  // More members than this in one group wait for a thread or are fsynced by the caller.
  private static final int MAX_THREADS = 64;

  private final ThreadPoolExecutor threads =
      new ThreadPoolExecutor(
          0,
          MAX_THREADS,
          IDLE.toMillis(),
          TimeUnit.MILLISECONDS,
          new SynchronousQueue<>(),
          FsyncThreads::newThread,
          new ThreadPoolExecutor.CallerRunsPolicy());

  @Override
  public void execute(Runnable fsync) {
    threads.execute(fsync);
  }

  private static Thread newThread(Runnable work) {
    Thread thread = new Thread(work, "debvisor-fsync");
    thread.setDaemon(true);
    return thread;
  }
}
