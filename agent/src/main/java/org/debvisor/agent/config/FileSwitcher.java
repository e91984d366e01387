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
 */
final class FileSwitcher {

  private static final int DIR_MODE = 0755;

  private final FileOwnership ownership;
  private final ApplyStepListener listener;

  FileSwitcher(FileOwnership ownership, ApplyStepListener listener) {
    this.ownership = ownership;
    this.listener = listener;
  }

  /** Creates directories, writes and fsyncs every staged file and links every backup. */
  void stage(JournalRecord journal, ApplyPlan plan) throws ConfigStorageException {
    for (String dir : journal.createdDirs()) {
      Path path = Path.of(dir);
      try {
        Files.createDirectory(path);
        ownership.apply(path, "", "", DIR_MODE);
        DurableFiles.fsyncDirectory(path.getParent());
      } catch (IOException e) {
        throw ConfigStorageException.of("create directory", path, e);
      }
      listener.reached(ApplyStep.DIRECTORY_CREATED);
    }
    for (int i = 0; i < plan.files().size(); i++) {
      ApplyPlan.PlannedFile planned = plan.files().get(i);
      JournalRecord.JournalFile entry = journal.files().get(i);
      try {
        writeStaged(entry.stagedPath(), planned.file(), planned.mode());
      } catch (IOException e) {
        throw ConfigStorageException.of("stage", entry.targetPath(), e);
      }
      if (entry.existed()) {
        try {
          Files.createLink(entry.backupPath(), entry.targetPath());
        } catch (IOException e) {
          throw ConfigStorageException.of("back up", entry.targetPath(), e);
        }
      }
      listener.reached(ApplyStep.FILE_STAGED);
    }
    syncDirectories(journal, "stage");
  }

  /** Renames every staged file over its target, then makes the renames durable. */
  void switchAll(JournalRecord journal) throws ConfigStorageException {
    for (JournalRecord.JournalFile entry : journal.files()) {
      try {
        Files.move(entry.stagedPath(), entry.targetPath(), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw ConfigStorageException.of("switch", entry.targetPath(), e);
      }
      listener.reached(ApplyStep.FILE_SWITCHED);
    }
    syncDirectories(journal, "switch");
    listener.reached(ApplyStep.ALL_SWITCHED);
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
      try {
        if (entry.existed()) {
          if (Files.exists(entry.backupPath(), LinkOption.NOFOLLOW_LINKS)) {
            Files.move(entry.backupPath(), entry.targetPath(), StandardCopyOption.ATOMIC_MOVE);
            // rename(2) between two links of one inode does nothing, so the backup may remain.
            Files.deleteIfExists(entry.backupPath());
          }
        } else if (Files.isRegularFile(entry.targetPath(), LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(entry.targetPath());
        }
        Files.deleteIfExists(entry.stagedPath());
      } catch (IOException e) {
        throw ConfigStorageException.of("restore", entry.targetPath(), e);
      }
      listener.reached(ApplyStep.FILE_RESTORED);
    }
    syncDirectories(journal, "restore");
    List<String> dirs = journal.createdDirs();
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Path dir = Path.of(dirs.get(i));
      try {
        Files.delete(dir);
        DurableFiles.fsyncDirectory(dir.getParent());
      } catch (NoSuchFileException | DirectoryNotEmptyException e) {
        // Already gone, or something else now lives in it: leave it.
      } catch (IOException e) {
        throw ConfigStorageException.of("remove directory", dir, e);
      }
    }
    listener.reached(ApplyStep.ALL_RESTORED);
  }

  /** Forgets the old files of a committed transaction. */
  void dropBackups(JournalRecord journal) throws ConfigStorageException {
    for (JournalRecord.JournalFile entry : journal.files()) {
      try {
        Files.deleteIfExists(entry.backupPath());
        Files.deleteIfExists(entry.stagedPath());
      } catch (IOException e) {
        throw ConfigStorageException.of("drop the backup of", entry.targetPath(), e);
      }
    }
    syncDirectories(journal, "drop the backups of");
    listener.reached(ApplyStep.BACKUPS_DROPPED);
  }

  private boolean isSwitched(JournalRecord.JournalFile entry) {
    if (!entry.existed()) {
      return Files.exists(entry.targetPath(), LinkOption.NOFOLLOW_LINKS);
    }
    if (!Files.exists(entry.backupPath(), LinkOption.NOFOLLOW_LINKS)) {
      // Renames start only once every backup exists; a missing one means none happened yet.
      return false;
    }
    try {
      return !Files.isSameFile(entry.targetPath(), entry.backupPath());
    } catch (IOException e) {
      return true;
    }
  }

  private void writeStaged(Path staged, ConfigFile file, int mode) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            staged,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(FileOwnership.permissions(0600)))) {
      for (ByteBuffer chunk : file.getContent().asReadOnlyByteBufferList()) {
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
      }
      ownership.apply(staged, file.getOwner(), file.getGroup(), mode);
      channel.force(true);
    }
  }

  private static void syncDirectories(JournalRecord journal, String action)
      throws ConfigStorageException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (JournalRecord.JournalFile entry : journal.files()) {
      dirs.add(entry.targetPath().getParent());
    }
    for (Path dir : dirs) {
      try {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          DurableFiles.fsyncDirectory(dir);
        }
      } catch (IOException e) {
        throw ConfigStorageException.of(action, dir, e);
      }
    }
  }
}
