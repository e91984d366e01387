package org.debvisor.controller.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a killed {@code debvisor restore} leaves that a controller must not start on: a PostgreSQL
 * restore's {@link RestoreJournal} (the database may hold the backup's rows without the restore's
 * migration and audit entry), or a state-directory restore stopped between its two renames (the old
 * state moved aside, the new one still in the hidden staging sibling). Starting there would serve a
 * half-restored inventory, or create a fresh CA that no node trusts.
 */
public final class UnfinishedRestore {

  private UnfinishedRestore() {}

  /** The hidden sibling a state-directory restore assembles the new state in. */
  public static Path stagingFor(Path stateDir) {
    Path absolute = stateDir.toAbsolutePath().normalize();
    return absolute.resolveSibling("." + absolute.getFileName() + ".restoring");
  }

  /** Why a controller must not start on {@code stateDir}, when a restore was interrupted there. */
  public static Optional<String> in(Path stateDir) throws IOException {
    Optional<RestoreJournal> journal = RestoreJournal.read(stateDir);
    if (journal.isPresent()) {
      RestoreJournal j = journal.get();
      return Optional.of(
          "a restore of the backup "
              + j.backup()
              + " into "
              + j.target()
              + " was interrupted ("
              + stateDir.resolve(RestoreJournal.FILE_NAME)
              + "); re-run `debvisor restore --path "
              + j.backup()
              + "` with the same --database-url and --state-dir "
              + stateDir
              + " to finish it, then start the controller");
    }
    Path staging = stagingFor(stateDir);
    if (Files.isDirectory(staging) && holdsNothing(stateDir)) {
      return Optional.of(
          "a restore into "
              + stateDir
              + " was interrupted (its new state is still in "
              + staging
              + "); re-run the same `debvisor restore --path ...` to finish it, then start the"
              + " controller");
    }
    return Optional.empty();
  }

  /** Refuses, with {@link #in}'s reason, to go on when a restore was interrupted there. */
  public static void refuse(Path stateDir) throws IOException {
    Optional<String> reason = in(stateDir);
    if (reason.isPresent()) {
      throw new IOException("not starting: " + reason.get());
    }
  }

  private static boolean holdsNothing(Path stateDir) throws IOException {
    if (!Files.exists(stateDir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(stateDir)) {
      return entries.allMatch(p -> p.getFileName().toString().equals(StateLock.FILE_NAME));
    }
  }
}
