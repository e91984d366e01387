package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Files and directories whose pending changes must all be on disk before the next step, none before
 * another. {@link #sync} fsyncs them in parallel (on {@link FsyncThreads}): a journalling file
 * system commits concurrent fsyncs together, so a group costs about one disk flush instead of one
 * per member.
 *
 * <p>Members are held open from when they are added, so a directory reached through a {@link
 * DirectoryHandle} can be added while the handle is open and synced after it is closed.
 */
final class SyncGroup implements AutoCloseable {

  private final List<FileChannel> members = new ArrayList<>();
  private final Set<String> directories = new HashSet<>();
  private final FsyncCounter counter;
  private final Executor fsyncThreads;

  SyncGroup(FsyncCounter counter, Executor fsyncThreads) {
    this.counter = counter;
    this.fsyncThreads = fsyncThreads;
  }

  /** Takes over {@code channel} (a file just written) and closes it after the sync. */
  void addFile(FileChannel channel) {
    members.add(channel);
  }

  /**
   * Adds the directory {@code open} (e.g. a {@link DirectoryHandle#self()}) once per {@code name},
   * the name it is known by, so a directory touched by several steps is fsynced once.
   */
  void addDirectory(String name, Path open) throws IOException {
    if (directories.add(name)) {
      members.add(FileChannel.open(open, StandardOpenOption.READ));
    }
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** Fsyncs every member, then closes them; the group is empty again afterwards. */
  void sync() throws IOException {
    try {
      if (members.isEmpty()) {
        return;
      }
      counter.grouped();
      if (members.size() == 1) {
        force(members.get(0));
      } else {
        forceInParallel();
      }
    } finally {
      close();
    }
  }

  private void forceInParallel() throws IOException {
    List<FutureTask<IOException>> others = new ArrayList<>();
    for (FileChannel member : members.subList(1, members.size())) {
      FutureTask<IOException> fsync = new FutureTask<>(() -> forceOrFailure(member));
      fsyncThreads.execute(fsync);
      others.add(fsync);
    }
    List<IOException> failures = new ArrayList<>();
    RuntimeException unexpected = null;
    IOException own = forceOrFailure(members.get(0));
    if (own != null) {
      failures.add(own);
    }
    // A half-finished fsync group must not be reported as done or as failed before it ends.
    for (FutureTask<IOException> fsync : others) {
      try {
        IOException failure = awaitUninterruptibly(fsync);
        if (failure != null) {
          failures.add(failure);
        }
      } catch (RuntimeException e) {
        unexpected = e;
      }
    }
    if (unexpected != null) {
      throw unexpected;
    }
    if (!failures.isEmpty()) {
      IOException first = failures.get(0);
      for (IOException other : failures.subList(1, failures.size())) {
        first.addSuppressed(other);
      }
      throw first;
    }
  }

  private IOException forceOrFailure(FileChannel channel) {
    try {
      force(channel);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private void force(FileChannel channel) throws IOException {
    channel.force(true);
    counter.counted();
  }

  private static IOException awaitUninterruptibly(FutureTask<IOException> fsync) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return fsync.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException("an fsync failed unexpectedly", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes every member without syncing it (after a failure, or once synced). */
  @Override
  public void close() {
    for (FileChannel member : members) {
      try {
        member.close();
      } catch (IOException e) {
        // Synced or abandoned already: closing cannot lose anything that mattered.
      }
    }
    members.clear();
    directories.clear();
  }
}
