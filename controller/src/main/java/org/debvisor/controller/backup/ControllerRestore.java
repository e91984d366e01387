package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.state.StateLock;
import org.debvisor.controller.state.UnfinishedRestore;

/**
 * Restores a controller's state directory from a backup. Everything is checked before anything is
 * touched; the new state is assembled (and its schema migrated, and the restore audited) in a
 * hidden sibling of the state directory, then put in place with renames. A state directory in use
 * by a controller is refused; one that holds state is refused unless forced, and then moved aside.
 */
public final class ControllerRestore {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final BackupVerifier verifier;
  private final Clock clock;
  private final String actor;
  private final BackupProgress progress;

  public ControllerRestore(
      String debvisorVersion,
      CaKeyCipher cipher,
      Clock clock,
      String actor,
      BackupProgress progress) {
    this.verifier = new BackupVerifier(debvisorVersion, cipher, progress);
    this.clock = clock;
    this.actor = actor;
    this.progress = progress;
  }

  /** The hidden sibling the new state is assembled in. */
  public static Path stagingFor(Path stateDir) {
    return UnfinishedRestore.stagingFor(stateDir);
  }

  public RestoreResult restore(
      Path backup, Path stateDir, Passphrase passphrase, boolean force, boolean dryRun)
      throws BackupException {
    Path state = stateDir.toAbsolutePath().normalize();
    VerifiedBackup verified = verifier.verify(backup, passphrase);
    refuseRunningController(state);
    boolean occupied;
    try {
      occupied = !StateLayout.isEmpty(state);
    } catch (IOException e) {
      throw BackupException.refused("cannot read the state directory " + state + ": " + e);
    }
    Path aside =
        state.resolveSibling(
            state.getFileName() + ".before-restore-" + STAMP.format(clock.instant()));
    if (occupied && !force) {
      throw BackupException.refused(
          state
              + " is not empty; pass --force to move it aside (to "
              + aside.getFileName()
              + ") and restore, or restore into an empty --state-dir");
    }
    if (state.getParent() == null || !Files.isDirectory(state.getParent())) {
      throw BackupException.refused(
          "the parent of the state directory " + state + " does not exist; create it first");
    }
    List<String> actions = new ArrayList<>();
    if (occupied) {
      actions.add("move the current state " + state + " aside to " + aside);
    }
    actions.add(
        "restore "
            + verified.manifest().files().size()
            + " files ("
            + verified.manifest().nodes()
            + " nodes) into "
            + state);
    if (verified.schema().pending() > 0) {
      actions.add(
          "migrate the schema from "
              + verified.schema().current()
              + " to "
              + verified.schema().latestKnown());
    }
    actions.add("append a controller.restore entry to the audit log");
    RestoreResult result =
        new RestoreResult(
            state,
            verified.path(),
            verified.manifest(),
            occupied ? Optional.of(aside) : Optional.empty(),
            verified.schema().current(),
            verified.schema().latestKnown(),
            dryRun,
            actions);
    if (dryRun) {
      actions.forEach(a -> progress.step("would " + a));
      return result;
    }
    try (StateLock lock = Files.isDirectory(state) ? StateLock.acquire(state, "restore") : null) {
      Path staging = stagingFor(state);
      assemble(verified, staging);
      swapIn(staging, state, occupied ? aside : null);
    } catch (StateLock.HeldException e) {
      throw BackupException.refused(runningMessage(state, e.holder()));
    } catch (IOException | RuntimeException e) {
      throw BackupException.failed(
          "restore into "
              + state
              + " failed: "
              + ControllerBackup.describe(e)
              + "; the state directory was left as it was",
          e);
    }
    progress.step("restore complete: " + state + " (start the controller now)");
    return result;
  }

  private void refuseRunningController(Path state) throws BackupException {
    if (!Files.isDirectory(state)) {
      return;
    }
    Optional<String> holder;
    try {
      holder = StateLock.holder(state);
    } catch (IOException e) {
      throw BackupException.refused("cannot check whether a controller uses " + state + ": " + e);
    }
    if (holder.isPresent()) {
      throw BackupException.refused(runningMessage(state, holder.get()));
    }
  }

  private static String runningMessage(Path state, String holder) {
    return "a controller is running on "
        + state
        + " ("
        + holder
        + "); stop it first (systemctl stop debvisor-controller), then restore";
  }

  /** Writes the restored state into {@code staging}, migrates it and audits the restore. */
  private void assemble(VerifiedBackup verified, Path staging) throws IOException {
    DurableFiles.deleteTree(staging);
    DurableFiles.createPrivateDirectory(staging);
    try {
      for (BackupManifest.FileEntry file : verified.manifest().files()) {
        if (file.path().equals(StateLayout.ENCRYPTED_CA_KEY)) {
          progress.step("write " + StateLayout.CA_KEY + " (decrypted)");
          DurableFiles.write(
              staging.resolve(StateLayout.CA_KEY),
              Pem.encode(verified.caKey()).getBytes(StandardCharsets.US_ASCII),
              "600");
        } else {
          progress.step("write " + file.path());
          DurableFiles.copy(
              verified.path().resolve(file.path()), staging.resolve(file.path()), file.mode());
        }
      }
      progress.step(
          verified.schema().pending() > 0
              ? "migrate the schema "
                  + verified.schema().current()
                  + " → "
                  + verified.schema().latestKnown()
              : "open the database (schema " + verified.schema().current() + ")");
      AuditEntry entry =
          new AuditEntry(
              actor,
              "controller.restore",
              "state",
              "local",
              "ok",
              "from "
                  + verified.path()
                  + " (backup of "
                  + verified.manifest().createdAt()
                  + ", schema "
                  + verified.schema().current()
                  + " -> "
                  + verified.schema().latestKnown()
                  + ")");
      try (Database db = Database.open(staging.resolve(StateLayout.DATABASE))) {
        db.write(c -> new AuditLog(clock).append(c, entry));
      }
      DurableFiles.syncTree(staging);
    } catch (IOException | RuntimeException e) {
      DurableFiles.deleteTree(staging);
      throw e;
    }
  }

  /**
   * Puts {@code staging} where {@code state} is: the old state is renamed to {@code aside} (or,
   * when it held nothing, removed), then staging renamed in. A crash between the two renames leaves
   * no state directory, the old one aside and the new one complete in staging; a re-run finishes.
   */
  private void swapIn(Path staging, Path state, Path aside) throws IOException {
    if (aside != null) {
      progress.step("move " + state + " aside to " + aside);
      Files.move(state, aside, StandardCopyOption.ATOMIC_MOVE);
    } else if (Files.exists(state)) {
      Files.deleteIfExists(state.resolve(StateLock.FILE_NAME));
      Files.delete(state);
    }
    try {
      Files.move(staging, state, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (aside != null) {
        Files.move(aside, state, StandardCopyOption.ATOMIC_MOVE);
      }
      DurableFiles.deleteTree(staging);
      throw e;
    }
    DurableFiles.syncDirectory(state.getParent());
  }
}
