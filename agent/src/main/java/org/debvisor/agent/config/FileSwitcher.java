package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.debvisor.proto.ConfigFile;

/**
 * Moves the files of one journalled transaction between old and new.
 *
 * <p>New content is staged next to its target and renamed over it; the old file stays reachable
 * through a hard link next to it, so restoring is one rename that needs no space and brings back
 * the very same inode (content, mode, owner, timestamps). Every step is idempotent, so a restarted
 * agent can simply run {@link #undo} again.
 *
 * <p>Every directory is opened from its allowed root down without following symbolic links and
 * every entry is created, renamed and removed relative to that open directory, so a directory
 * swapped for a symlink while this runs can make a step fail but never make it write outside the
 * roots. Undo and clean-up skip a directory that can no longer be reached that way: nothing they
 * could reach through it would be this transaction's.
 */
final class FileSwitcher {

  private static final int DIR_MODE = 0755;

  private final FileOwnership ownership;
  private final ApplyStepListener listener;
  private final ConfinedDirectories dirs;
  private final DurableFiles durable;

  FileSwitcher(
      FileOwnership ownership,
      ApplyStepListener listener,
      ConfinedDirectories dirs,
      DurableFiles files) {
    this.ownership = ownership;
    this.listener = listener;
    this.dirs = dirs;
    this.durable = files;
  }

  /**
   * Creates directories, writes every staged file and links every backup; all of it is durable once
   * the caller syncs {@code group}, which must happen before {@link #switchAll}.
   */
  void stage(JournalRecord journal, ApplyPlan plan, SyncGroup group) throws ConfigStorageException {
    for (String dir : journal.createdDirs()) {
      Path path = Path.of(dir);
      String name = name(path);
      try (DirectoryHandle parent = dirs.open(path.getParent())) {
        parent.makeDirectory(name, 0700);
        ownership.apply(parent.entry(name), "", "", DIR_MODE);
        group.addDirectory(path.getParent().toString(), parent.self());
      } catch (IOException e) {
        throw ConfigStorageException.of("create directory", path, e);
      }
      listener.reached(ApplyStep.DIRECTORY_CREATED);
    }
    for (int i = 0; i < plan.files().size(); i++) {
      ApplyPlan.PlannedFile planned = plan.files().get(i);
      JournalRecord.JournalFile entry = journal.files().get(i);
      try (DirectoryHandle parent = dirs.open(entry.targetPath().getParent())) {
        try {
          group.addFile(
              writeStaged(parent.entry(name(entry.stagedPath())), planned.file(), planned.mode()));
        } catch (IOException e) {
          throw ConfigStorageException.of("stage", entry.targetPath(), e);
        }
        if (entry.existed()) {
          try {
            Files.createLink(
                parent.entry(name(entry.backupPath())), parent.entry(name(entry.targetPath())));
          } catch (IOException e) {
            throw ConfigStorageException.of("back up", entry.targetPath(), e);
          }
        }
        group.addDirectory(entry.targetPath().getParent().toString(), parent.self());
      } catch (ConfigStorageException e) {
        throw e;
      } catch (IOException e) {
        throw ConfigStorageException.of("stage", entry.targetPath(), e);
      }
      listener.reached(ApplyStep.FILE_STAGED);
    }
  }

  /**
   * Renames every staged file over its target. The renames are durable once {@link #addTargetDirs}
   * has put their directories in a group and that group is synced; a commit does so first.
   */
  void switchAll(JournalRecord journal) throws ConfigStorageException {
    for (JournalRecord.JournalFile entry : journal.files()) {
      try (DirectoryHandle parent = dirs.open(entry.targetPath().getParent())) {
        Files.move(
            parent.entry(name(entry.stagedPath())),
            parent.entry(name(entry.targetPath())),
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw ConfigStorageException.of("switch", entry.targetPath(), e);
      }
      listener.reached(ApplyStep.FILE_SWITCHED);
    }
    listener.reached(ApplyStep.ALL_SWITCHED);
  }

  /** Adds every target's directory to {@code group}, once each. */
  void addTargetDirs(JournalRecord journal, SyncGroup group) throws ConfigStorageException {
    for (Path dir : targetDirs(journal)) {
      try (DirectoryHandle handle = openIfReachable(dir)) {
        if (handle != null) {
          group.addDirectory(dir.toString(), handle.self());
        }
      } catch (IOException e) {
        throw ConfigStorageException.of("sync", dir, e);
      }
    }
  }

  /** How many targets hold the new content now (judged from the disk, not the journal). */
  int switchedCount(JournalRecord journal) {
    int switched = 0;
    for (JournalRecord.JournalFile entry : journal.files()) {
      if (isSwitched(entry)) {
        switched++;
      }
    }
    return switched;
  }

  /**
   * Puts every target back as it was before the transaction (a file that did not exist is removed)
   * and removes the directories it created, if empty. Safe to repeat after a crash.
   */
  void undo(JournalRecord journal) throws ConfigStorageException {
    List<JournalRecord.JournalFile> files = journal.files();
    for (int i = files.size() - 1; i >= 0; i--) {
      JournalRecord.JournalFile entry = files.get(i);
      try (DirectoryHandle parent = openIfReachable(entry.targetPath().getParent())) {
        if (parent != null) {
          Path target = parent.entry(name(entry.targetPath()));
          Path backup = parent.entry(name(entry.backupPath()));
          if (entry.existed()) {
            if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
              Files.move(backup, target, StandardCopyOption.ATOMIC_MOVE);
              // rename(2) between two links of one inode does nothing, so the backup may remain.
              Files.deleteIfExists(backup);
            }
          } else if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(target);
          }
          Files.deleteIfExists(parent.entry(name(entry.stagedPath())));
        }
      } catch (IOException e) {
        throw ConfigStorageException.of("restore", entry.targetPath(), e);
      }
      listener.reached(ApplyStep.FILE_RESTORED);
    }
    syncDirectories(journal, "restore");
    List<String> created = journal.createdDirs();
    for (int i = created.size() - 1; i >= 0; i--) {
      Path dir = Path.of(created.get(i));
      try (DirectoryHandle parent = openIfReachable(dir.getParent())) {
        if (parent != null) {
          Path entry = parent.entry(name(dir));
          if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(entry);
            durable.fsyncDirectory(parent.self());
          }
        }
      } catch (NoSuchFileException | DirectoryNotEmptyException e) {
        // Already gone, or something else now lives in it: leave it.
      } catch (IOException e) {
        throw ConfigStorageException.of("remove directory", dir, e);
      }
    }
    listener.reached(ApplyStep.ALL_RESTORED);
  }

  /**
   * Renames over its target every staged file that is still there: after a power cut, a committed
   * transaction's switch may not have reached the disk (its staged files had). Returns how many.
   */
  int finishSwitch(JournalRecord journal) throws ConfigStorageException {
    int renamed = 0;
    for (JournalRecord.JournalFile entry : journal.files()) {
      try (DirectoryHandle parent = openIfReachable(entry.targetPath().getParent())) {
        if (parent != null
            && Files.exists(parent.entry(name(entry.stagedPath())), LinkOption.NOFOLLOW_LINKS)) {
          Files.move(
              parent.entry(name(entry.stagedPath())),
              parent.entry(name(entry.targetPath())),
              StandardCopyOption.ATOMIC_MOVE);
          renamed++;
        }
      } catch (IOException e) {
        throw ConfigStorageException.of("switch", entry.targetPath(), e);
      }
    }
    return renamed;
  }

  /**
   * Forgets the old files of a committed transaction without waiting for the disk (its journal is
   * kept until a later sync of these directories). Returns whether any was still there.
   */
  boolean dropBackups(JournalRecord journal) throws ConfigStorageException {
    boolean found = false;
    for (JournalRecord.JournalFile entry : journal.files()) {
      try (DirectoryHandle parent = openIfReachable(entry.targetPath().getParent())) {
        if (parent != null) {
          found |= parent.removeFileIfPresent(name(entry.backupPath()));
          found |= parent.removeFileIfPresent(name(entry.stagedPath()));
        }
      } catch (IOException e) {
        throw ConfigStorageException.of("drop the backup of", entry.targetPath(), e);
      }
    }
    listener.reached(ApplyStep.BACKUPS_DROPPED);
    return found;
  }

  private boolean isSwitched(JournalRecord.JournalFile entry) {
    try (DirectoryHandle parent = openIfReachable(entry.targetPath().getParent())) {
      if (parent == null) {
        return false;
      }
      Path target = parent.entry(name(entry.targetPath()));
      Path backup = parent.entry(name(entry.backupPath()));
      if (!entry.existed()) {
        return Files.exists(target, LinkOption.NOFOLLOW_LINKS);
      }
      if (!Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
        // Renames start only once every backup exists; a missing one means none happened yet.
        return false;
      }
      try {
        return !Files.isSameFile(target, backup);
      } catch (IOException e) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** The directory, or null when it is gone or no longer reachable without following a link. */
  private DirectoryHandle openIfReachable(Path dir) throws IOException {
    try {
      return dirs.open(dir);
    } catch (NoSuchFileException | DirectoryHandle.NotADirectoryException e) {
      return null;
    }
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }

  /** Writes the new content with its owner and mode; the open channel is fsynced by the caller. */
  private FileChannel writeStaged(Path staged, ConfigFile file, int mode) throws IOException {
    FileChannel channel =
        FileChannel.open(
            staged,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(FileOwnership.permissions(0600)));
    try {
      for (ByteBuffer chunk : file.getContent().asReadOnlyByteBufferList()) {
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
      }
      ownership.apply(staged, file.getOwner(), file.getGroup(), mode);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Set<Path> targetDirs(JournalRecord journal) {
    Set<Path> parents = new LinkedHashSet<>();
    for (JournalRecord.JournalFile entry : journal.files()) {
      parents.add(entry.targetPath().getParent());
    }
    return parents;
  }

  private void syncDirectories(JournalRecord journal, String action) throws ConfigStorageException {
    try (SyncGroup group = durable.group()) {
      addTargetDirs(journal, group);
      group.sync();
    } catch (ConfigStorageException e) {
      throw e;
    } catch (IOException e) {
      throw ConfigStorageException.of(action, targetDirs(journal).iterator().next(), e);
    }
  }
}
