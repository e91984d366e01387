package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.bundle.AllowedRoots;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;

/**
 * The node's configuration files and their history: applies bundles crash-safely, commits or rolls
 * them back, and repairs an apply interrupted by a crash.
 *
 * <p>Layout under the state directory: {@code current.json} (the committed version), {@code
 * history.jsonl} and, while an apply is unfinished, {@code journal.json}. Thread-safe; at most one
 * apply is open at a time (a second {@link #apply} before commit or rollback is refused), and
 * {@link #current()} and {@link #history(int)} answer while an apply waits for its health gate.
 *
 * <p>An apply and its commit wait for the disk five times, each time for a group of fsyncs issued
 * together: the journal's content; the journal's name with every staged file, backup link and new
 * directory; the switched targets' directories with the new {@code current.json}'s content; its
 * name (the commit point); the history line with the dropped backups. Each group holds only what
 * the next step relies on, so after a power cut every target is entirely old or entirely new and
 * recovery knows which. Metadata changes are also issued in that order, which a journalling file
 * system (ext4, xfs) keeps on disk; one that reordered them could, after a power cut during the
 * second group, leave hidden staged files behind (never a changed target). The journal of a
 * finished commit is removed without waiting: if a power cut brings it back, recovery repeats the
 * commit's idempotent clean-up.
 */
public final class ConfigStore {

  /** The caller recorded when the agent itself rolls back an interrupted apply. */
  public static final String RECOVERY_CALLER = "debvisor-agent";

  private final Clock clock;
  private final BundleValidator validator;
  private final TargetInspector inspector;
  private final FileSwitcher switcher;
  private final ApplyJournal journal;
  private final CurrentStateFile currentFile;
  private final ConfigHistoryLog history;
  private final ApplyStepListener listener;
  private final DurableFiles durable;
  private final Path stateDir;

  private CurrentRecord current;
  private ApplyHandle open;
  private boolean needsRecovery;

  /**
   * Opens (creating if needed) the state directory and reads the active version and history. Call
   * {@link #recover()} before the first apply.
   */
  public ConfigStore(ConfigSettings settings, Clock clock) throws IOException {
    this(settings, clock, FileOwnership.forThisProcess(), ApplyStepListener.NONE);
  }

  ConfigStore(
      ConfigSettings settings, Clock clock, FileOwnership ownership, ApplyStepListener listener)
      throws IOException {
    this(settings, clock, ownership, listener, new FsyncCounter());
  }

  ConfigStore(
      ConfigSettings settings,
      Clock clock,
      FileOwnership ownership,
      ApplyStepListener listener,
      FsyncCounter fsyncs)
      throws IOException {
    this.clock = clock;
    this.listener = listener;
    this.durable = new DurableFiles(fsyncs);
    this.stateDir = settings.stateDir().toAbsolutePath().normalize();
    Files.createDirectories(
        stateDir, PosixFilePermissions.asFileAttribute(FileOwnership.permissions(0700)));
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    this.validator = new BundleValidator(settings, new NodeAccounts());
    AllowedRoots roots = new AllowedRoots(settings.allowedRoots());
    this.inspector = new TargetInspector(roots);
    this.switcher =
        new FileSwitcher(
            ownership, listener, new ConfinedDirectories(roots, new DirectoryCalls()), durable);
    this.journal = new ApplyJournal(stateDir, json, durable);
    this.currentFile = new CurrentStateFile(stateDir, json, durable);
    this.history = new ConfigHistoryLog(stateDir, json, durable, settings.historyLimit());
    this.current = currentFile.read();
    this.needsRecovery = Files.exists(journal.path());
  }

  /** The committed version with its files' checksums and modes; version "" when none. */
  public synchronized ConfigState current() {
    return current.toProto();
  }

  /** Up to {@code limit} history entries, newest first. */
  public synchronized List<ConfigHistoryEntry> history(int limit) {
    List<ConfigHistoryEntry> out = new ArrayList<>();
    for (HistoryRecord r : history.newestFirst(Math.max(0, limit))) {
      out.add(r.toProto());
    }
    return out;
  }

  /** Records that {@code caller} asked for the version that is already active. */
  public synchronized ConfigHistoryEntry recordUnchanged(String version, String caller)
      throws IOException {
    return history
        .append(
            new HistoryRecord(
                "",
                version,
                current.version(),
                clock.instant().toString(),
                caller,
                ConfigResult.CONFIG_UNCHANGED.name(),
                ""))
        .toProto();
  }

  /**
   * Validates the bundle, checks its targets on disk and switches the files to its content. The
   * previous version stays active (see {@link #current()}) until the handle is committed.
   *
   * @throws BundleRejectedException a rule is broken (field paths as in {@link BundleValidator});
   *     nothing changed
   * @throws ConfigStorageException writing failed (e.g. disk full); the old files are intact
   * @throws IllegalStateException another apply is open, or {@link #recover()} is still needed
   */
  public synchronized ApplyHandle apply(ConfigBundle bundle)
      throws BundleRejectedException, IOException {
    if (open != null) {
      throw new IllegalStateException(
          "version " + open.version() + " is applied and awaits commit or rollback");
    }
    if (needsRecovery) {
      throw new IllegalStateException("an interrupted apply needs recover() first");
    }
    List<Violation> violations = validator.validate(bundle);
    if (!violations.isEmpty()) {
      throw new BundleRejectedException(violations);
    }
    ApplyPlan plan = inspector.inspect(bundle);
    JournalRecord record = journalFor(bundle, plan);
    try {
      journal.writeAwaitingDirectorySync(record);
    } catch (IOException e) {
      throw ConfigStorageException.of("write the journal", journal.path(), e);
    }
    needsRecovery = true;
    listener.reached(ApplyStep.JOURNAL_WRITTEN);
    try (SyncGroup staged = durable.group()) {
      staged.addDirectory(stateDir.toString(), stateDir);
      switcher.stage(record, plan, staged);
      staged.sync();
      switcher.switchAll(record);
    } catch (ConfigStorageException | RuntimeException e) {
      abandon(record, e);
      throw e;
    } catch (IOException e) {
      ConfigStorageException failure = ConfigStorageException.of("stage", journal.path(), e);
      abandon(record, failure);
      throw failure;
    }
    open = new ApplyHandle(this, record);
    return open;
  }

  /**
   * Finishes or undoes an apply that a crash interrupted, so every file is entirely old or entirely
   * new and the active version and history match the disk. Call once at start-up.
   */
  public synchronized RecoveryOutcome recover() throws IOException {
    if (open != null) {
      throw new IllegalStateException("recover() while version " + open.version() + " is open");
    }
    // A failed commit may have left current.json newer than the copy in memory.
    current = currentFile.read();
    Optional<JournalRecord> found = journal.read();
    if (found.isEmpty()) {
      needsRecovery = false;
      return new RecoveryOutcome(
          RecoveryOutcome.Action.NOTHING_TO_DO, "", "no interrupted apply", List.of());
    }
    JournalRecord record = found.get();
    if (record.phase() == JournalRecord.Phase.ROLLING_BACK) {
      finishRollback(record);
      return new RecoveryOutcome(
          RecoveryOutcome.Action.ROLLED_BACK,
          record.version(),
          "finished rolling back " + record.version() + ": " + record.reason(),
          record.serviceActions());
    }
    if (current.txn().equals(record.txn())) {
      finishCommit(record);
      return new RecoveryOutcome(
          RecoveryOutcome.Action.COMMITTED,
          record.version(),
          "finished committing " + record.version(),
          List.of());
    }
    int switched = switcher.switchedCount(record);
    if (switched == 0) {
      // Recorded like any rollback so the history shows the attempt; no service saw a change, so
      // none is reloaded. A crash in here finds nothing switched again and repeats this.
      String reason = "agent restarted while staging files; no file had changed";
      finishRollback(record.rollingBack(RECOVERY_CALLER, reason));
      return new RecoveryOutcome(
          RecoveryOutcome.Action.DISCARDED,
          record.version(),
          "discarded the unfinished apply of " + record.version() + ": " + reason,
          List.of());
    }
    String reason =
        switched == record.files().size()
            ? "agent restarted before the health gate finished"
            : "agent restarted while switching files ("
                + switched
                + " of "
                + record.files().size()
                + " switched)";
    JournalRecord rollback = record.rollingBack(RECOVERY_CALLER, reason);
    journal.write(rollback);
    listener.reached(ApplyStep.ROLLBACK_DECIDED);
    finishRollback(rollback);
    return new RecoveryOutcome(
        RecoveryOutcome.Action.ROLLED_BACK,
        record.version(),
        "rolled back "
            + record.version()
            + " to "
            + describe(record.previousVersion())
            + ": "
            + reason,
        record.serviceActions());
  }

  synchronized ConfigHistoryEntry commit(ApplyHandle handle, JournalRecord record, String caller)
      throws IOException {
    release(handle);
    List<CurrentRecord.FileRecord> files = new ArrayList<>();
    for (JournalRecord.JournalFile f : record.files()) {
      files.add(new CurrentRecord.FileRecord(f.path(), f.sha256(), f.mode()));
    }
    CurrentRecord committed =
        new CurrentRecord(
            record.version(), record.txn(), clock.instant().toString(), caller, files);
    try (SyncGroup switched = durable.group()) {
      // The switch's renames must be on disk before the commit point names them.
      switcher.addTargetDirs(record, switched);
      Path staged = currentFile.stage(committed, switched);
      switched.sync();
      currentFile.install(staged);
    }
    durable.fsyncDirectory(stateDir);
    current = committed;
    listener.reached(ApplyStep.CURRENT_WRITTEN);
    return finishCommit(record);
  }

  synchronized ConfigHistoryEntry rollBack(
      ApplyHandle handle, JournalRecord record, String caller, String reason) throws IOException {
    release(handle);
    JournalRecord rollback = record.rollingBack(caller, reason);
    journal.write(rollback);
    listener.reached(ApplyStep.ROLLBACK_DECIDED);
    return finishRollback(rollback);
  }

  private void release(ApplyHandle handle) {
    if (open != handle) {
      throw new IllegalStateException("this apply was already committed or rolled back");
    }
    // Spent whatever happens next; a failure below leaves the journal for recover().
    open = null;
  }

  /**
   * Everything after current.json names the transaction; each step may be repeated. The history
   * line and the dropped backups are durable before the journal goes, so a journal that survives a
   * power cut still covers them.
   */
  private ConfigHistoryEntry finishCommit(JournalRecord record) throws IOException {
    HistoryRecord entry;
    try (SyncGroup done = durable.group()) {
      entry =
          history.appendInto(
              new HistoryRecord(
                  record.txn(),
                  record.version(),
                  record.previousVersion(),
                  current.appliedAt(),
                  current.caller(),
                  ConfigResult.CONFIG_APPLIED.name(),
                  ""),
              done);
      listener.reached(ApplyStep.HISTORY_WRITTEN);
      switcher.dropBackups(record, done);
      done.sync();
    }
    journal.deleteCommitted();
    needsRecovery = false;
    return entry.toProto();
  }

  private ConfigHistoryEntry finishRollback(JournalRecord rollback) throws IOException {
    switcher.undo(rollback);
    HistoryRecord entry =
        history.append(
            new HistoryRecord(
                rollback.txn(),
                rollback.version(),
                rollback.previousVersion(),
                clock.instant().toString(),
                rollback.caller(),
                ConfigResult.CONFIG_ROLLED_BACK.name(),
                rollback.reason()));
    listener.reached(ApplyStep.HISTORY_WRITTEN);
    journal.delete();
    needsRecovery = false;
    return entry.toProto();
  }

  private void abandon(JournalRecord record, Exception failure) {
    try {
      switcher.undo(record);
      journal.delete();
      needsRecovery = false;
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private JournalRecord journalFor(ConfigBundle bundle, ApplyPlan plan) {
    String txn = UUID.randomUUID().toString();
    String tag = ".debvisor-" + txn.substring(0, 8) + "-";
    List<JournalRecord.JournalFile> files = new ArrayList<>();
    for (int i = 0; i < plan.files().size(); i++) {
      ApplyPlan.PlannedFile f = plan.files().get(i);
      files.add(
          new JournalRecord.JournalFile(
              f.file().getPath(),
              f.target().toString(),
              f.target().resolveSibling(tag + i + ".new").toString(),
              f.target().resolveSibling(tag + i + ".old").toString(),
              f.existed(),
              f.file().getSha256(),
              f.mode()));
    }
    return new JournalRecord(
        txn,
        JournalRecord.Phase.PREPARED,
        bundle.getVersion(),
        current.version(),
        clock.instant().toString(),
        files,
        plan.newDirs().stream().map(Path::toString).toList(),
        bundle.getServicesList().stream().map(JournalRecord.JournalService::of).toList(),
        "",
        "");
  }

  private static String describe(String version) {
    return version.isEmpty() ? "no version" : version;
  }
}
