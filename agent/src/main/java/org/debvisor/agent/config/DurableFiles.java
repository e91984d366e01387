package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File operations of the configuration store. The plain ones are on disk (fsynced) when they
 * return; the {@code ...Into} ones leave the fsync to a {@link SyncGroup} the caller syncs at the
 * point where the change must be durable, together with others.
 */
final class DurableFiles {

  private final FsyncCounter counter;
  private final FsyncThreads fsyncThreads = new FsyncThreads();

  DurableFiles(FsyncCounter counter) {
    this.counter = counter;
  }

  /** A new, empty group whose fsyncs are counted with this store's. */
  SyncGroup group() {
    return new SyncGroup(counter, fsyncThreads);
  }

  /** Replaces {@code file} with {@code data} all at once: temp file, fsync, rename, fsync dir. */
  void writeAtomically(Path file, byte[] data) throws IOException {
    try (SyncGroup dir = group()) {
      replaceAtomically(file, data);
      dir.addDirectory(file.getParent().toString(), file.getParent());
      dir.sync();
    }
  }

  /**
   * Replaces {@code file} with {@code data} all at once (temp file, fsync, rename); the rename is
   * durable once the caller syncs the file's directory.
   */
  void replaceAtomically(Path file, byte[] data) throws IOException {
    Path temp = writeTempInto(file, data, null);
    renameOver(temp, file);
  }

  /**
   * Writes {@code data} to {@code file}'s temporary sibling and adds it to {@code group} (fsyncs it
   * now when {@code group} is null); {@link #renameOver} it once the group is synced.
   */
  Path writeTempInto(Path file, byte[] data, SyncGroup group) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      writeFully(channel, data);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    addOrSync(channel, group);
    return temp;
  }

  /**
   * Overwrites {@code file} (created if missing) with {@code data} in place, without waiting for
   * the disk: no new inode and no freed block, unlike a temporary file renamed over it. Only for a
   * file a journal still covers: a power cut can leave it holding the old content, the new one, a
   * mixture or nothing, and whoever reads it must then take the journal's word instead.
   */
  void overwriteUnsynced(Path file, byte[] data) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      writeFully(channel, data);
      // Written before it is cut, so a crash in between leaves the new content first.
      channel.truncate(data.length);
    }
  }

  /** Appends {@code data} to {@code file} (created if missing) without waiting for the disk. */
  void appendUnsynced(Path file, byte[] data) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      writeFully(channel, data);
    }
  }

  /** Adds {@code file} to {@code group}, so its unsynced changes are durable once it is synced. */
  void addExisting(Path file, SyncGroup group) throws IOException {
    group.addFile(FileChannel.open(file, StandardOpenOption.WRITE));
  }

  /** Renames a synced temporary file over {@code file}. */
  static void renameOver(Path temp, Path file) throws IOException {
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Appends {@code data} to {@code file} (created if missing) and fsyncs it. */
  void append(Path file, byte[] data) throws IOException {
    try (SyncGroup group = group()) {
      appendInto(file, data, group);
      group.sync();
    }
  }

  /**
   * Appends {@code data} to {@code file}, which must exist (a missing one is an error, never made
   * anew), and fsyncs it; the file's directory entry is not synced again.
   */
  void appendToExisting(Path file, byte[] data) throws IOException {
    try (SyncGroup group = group()) {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      group.addFile(channel);
      writeFully(channel, data);
      group.sync();
    }
  }

  /**
   * Appends {@code data} to {@code file} (created if missing) and adds the file, and its directory
   * if it was created, to {@code group}.
   */
  void appendInto(Path file, byte[] data, SyncGroup group) throws IOException {
    boolean created = !Files.exists(file);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      writeFully(channel, data);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    group.addFile(channel);
    if (created) {
      group.addDirectory(file.getParent().toString(), file.getParent());
    }
  }

  /** Deletes {@code file} if present and makes the deletion durable. */
  void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      fsyncDirectory(file.getParent());
    }
  }

  /** Makes a directory's entries (creations, renames, deletions) durable. */
  void fsyncDirectory(Path dir) throws IOException {
    try (SyncGroup group = group()) {
      group.addDirectory(dir.toString(), dir);
      group.sync();
    }
  }

  static void writeFully(FileChannel channel, byte[] data) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private void addOrSync(FileChannel channel, SyncGroup group) throws IOException {
    if (group != null) {
      group.addFile(channel);
      return;
    }
    try (SyncGroup alone = group()) {
      alone.addFile(channel);
      alone.sync();
    }
  }
}
