package org.debvisor.controller.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The exclusive lock on a state directory ({@code <stateDir>/controller.lock}): a running
 * controller holds it, and so does a restore, so neither can start under the other. The kernel
 * drops the lock when its process dies, so a killed controller leaves no stale lock behind. The
 * file names the holder's pid for the error message.
 *
 * <p>POSIX record locks belong to the process: closing any channel on the file drops them. So one
 * process takes this lock through one channel only; a probe from inside the holding JVM (tests)
 * sees the lock but may drop it for other processes.
 */
public final class StateLock implements AutoCloseable {

  /** The lock file's name inside the state directory. */
  public static final String FILE_NAME = "controller.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code stateDir} (which must exist) for {@code holder} (e.g. "controller").
   *
   * @throws HeldException when another process (or this one) holds it
   */
  public static StateLock acquire(Path stateDir, String holder) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // Another process created it first; locking below decides who wins.
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String owner = readHolder(channel);
      channel.close();
      throw new HeldException(stateDir, owner);
    }
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap(
            (holder + " pid " + ProcessHandle.current().pid() + "\n")
                .getBytes(StandardCharsets.UTF_8)),
        0);
    return new StateLock(channel, lock);
  }

  /** Who holds the lock on {@code stateDir} now, if anyone; neither takes nor changes it. */
  public static Optional<String> holder(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe;
      try {
        probe = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        probe = null;
      }
      if (probe == null) {
        return Optional.of(readHolder(channel));
      }
      probe.release();
      return Optional.empty();
    }
  }

  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(200);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      return text.isBlank() ? "another process" : text.strip();
    } catch (IOException e) {
      return "another process";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }

  /** The state directory is locked by someone else. */
  public static final class HeldException extends IOException {
    private final String holder;

    HeldException(Path stateDir, String holder) {
      super(
          stateDir + " is in use by " + holder + " (it holds " + stateDir.resolve(FILE_NAME) + ")");
      this.holder = holder;
    }

    /** e.g. "controller pid 1234". */
    public String holder() {
      return holder;
    }
  }
}
