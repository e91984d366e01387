package org.debvisor.agent.config;

import java.nio.file.Path;
import java.util.List;
import org.debvisor.proto.ServiceAction;

/**
 * What an unfinished apply or rollback touches, kept on disk so a restarted agent can undo it.
 *
 * @param sequence orders the journals in the state directory (0 in the single {@code journal.json}
 *     of older agents)
 * @param txn unique id of the apply
 * @param phase how far it got
 * @param version the bundle's version
 * @param previousVersion the version active before it
 * @param startedAt ISO-8601 instant the apply began
 * @param files every target with its staged file and backup
 * @param createdDirs directories the apply created, shallowest first
 * @param services units the bundle reloads or restarts, so a recovery can reload them after
 *     restoring the files (absent in journals of older agents: none)
 * @param caller who asked for the rollback (ROLLING_BACK only)
 * @param reason why it is rolled back (ROLLING_BACK only)
 */
record JournalRecord(
    long sequence,
    String txn,
    Phase phase,
    String version,
    String previousVersion,
    String startedAt,
    List<JournalFile> files,
    List<String> createdDirs,
    List<JournalService> services,
    String caller,
    String reason) {

  /** Progress of a transaction. */
  enum Phase {
    /** Staging or switching; targets may be old, new, or a mix. */
    PREPARED,
    /** A rollback was decided; every target goes back to its backup. */
    ROLLING_BACK
  }

  JournalRecord {
    files = List.copyOf(files);
    createdDirs = List.copyOf(createdDirs);
    services = services == null ? List.of() : List.copyOf(services);
  }

  JournalRecord rollingBack(String caller, String reason) {
    return new JournalRecord(
        sequence,
        txn,
        Phase.ROLLING_BACK,
        version,
        previousVersion,
        startedAt,
        files,
        createdDirs,
        services,
        caller,
        reason);
  }

  /** The bundle's service actions, as the recovery must repeat them. */
  List<ServiceAction> serviceActions() {
    return services.stream()
        .map(
            s ->
                ServiceAction.newBuilder()
                    .setUnit(s.unit())
                    .setAction(ServiceAction.Action.valueOf(s.action()))
                    .build())
        .toList();
  }

  /**
   * A unit the bundle reloads or restarts.
   *
   * @param unit the systemd unit
   * @param action {@code RELOAD} or {@code RESTART}
   */
  record JournalService(String unit, String action) {
    static JournalService of(ServiceAction action) {
      return new JournalService(action.getUnit(), action.getAction().name());
    }
  }

  /**
   * One file of the transaction.
   *
   * @param path the path as the bundle named it
   * @param target the real path written (symlinked parents resolved)
   * @param staged the new content's temporary name, next to the target
   * @param backup a hard link to the old file, next to the target (unused when it did not exist)
   * @param existed whether the target existed before the apply
   * @param sha256 checksum of the new content
   * @param mode effective permission bits of the new file
   */
  record JournalFile(
      String path,
      String target,
      String staged,
      String backup,
      boolean existed,
      String sha256,
      int mode) {

    Path targetPath() {
      return Path.of(target);
    }

    Path stagedPath() {
      return Path.of(staged);
    }

    Path backupPath() {
      return Path.of(backup);
    }
  }
}
