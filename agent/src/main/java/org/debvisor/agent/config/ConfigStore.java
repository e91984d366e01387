package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
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
 * <p>An apply and its commit wait for the disk twice. First, before any target changes: the apply's
 * journal ({@code journal-SEQ.json}, see {@link ApplyJournal}) with the state directory, every
 * staged file, backup link and new directory, and whatever the previous commit left unsynced (its
 * history line and directories). Then the commit point: the journal's {@code COMMITTED} line alone.
 * The switch's renames, {@code current.json} (overwritten in place, so an update creates no new
 * inode for it), the history line and the dropped backups are written without waiting (and, through
 * {@link #commitLeavingTail}, after the caller's answer): the committed journal stays until the
 * next apply's first wait has made them durable, and recovery re-derives them from it (renaming a
 * staged file that is still there, rewriting {@code current.json} from the journal whatever a power
 * cut left in it, appending a missing history line). A rollback waits as often as it needs. So
 * after a power cut every target is entirely old or entirely new and recovery knows which; a
 * journal whose first line was cut short belongs to an apply that never reached its switch, and can
 * leave hidden staged files behind (never a changed target). Metadata changes within one directory
 * are relied on to reach the disk in the order issued only for such leftovers.
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
  // current as answered by current(), built once per change: every update asks for it.
  private ConfigState currentState;
  private ApplyHandle open;
  private boolean needsRecovery;
  // The newest committed journal while the next apply has not yet made all it covers durable.
  private ApplyJournal.Entry kept;
  // What a commit left after its commit point, until finishCommit() or the next call writes it.
  private CommitTail tail;

  /**
   * A commit's writes after its commit point, still to do.
   *
   * @param committed the record {@code current.json} gets: its time and caller are the commit's
   * @param now when it was committed
   */
  private record CommitTail(JournalRecord record, CurrentRecord committed, Instant now) {}

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
    ApplyJournal.Scan scan = journal.scan();
    boolean onlyOneCommitted =
        scan.torn().isEmpty()
            && scan.entries().size() == 1
            && scan.entries().get(0).committed().isPresent();
    setCurrent(readCurrent(scan));
    this.needsRecovery =
        !scan.isEmpty() && !(onlyOneCommitted && isComplete(scan.entries().get(0)));
    this.kept = onlyOneCommitted ? scan.entries().get(0) : null;
  }

  /** The committed version with its files' checksums and modes; version "" when none. */
  public synchronized ConfigState current() {
    return currentState;
  }

  private void setCurrent(CurrentRecord record) {
    setCurrent(record, record.toProto());
  }

  /** {@code state} is {@code record.toProto()}, made by a caller that had its time parsed. */
  private void setCurrent(CurrentRecord record, ConfigState state) {
    current = record;
    currentState = state;
  }

  /** Up to {@code limit} history entries, newest first. */
  public synchronized List<ConfigHistoryEntry> history(int limit) {
    List<ConfigHistoryEntry> out = new ArrayList<>();
    int wanted = Math.max(0, limit);
    // Answered without writing (callers may be on an event loop): a commit's line not yet
    // appended comes first.
    if (tail != null && wanted > 0) {
      out.add(appliedEntry(tail.record(), tail.committed()).toProto(tail.now()));
      wanted--;
    }
    for (HistoryRecord r : history.newestFirst(wanted)) {
      out.add(r.toProto());
    }
    return out;
  }

  /** Records that {@code caller} asked for the version that is already active. */
  public synchronized ConfigHistoryEntry recordUnchanged(String version, String caller)
      throws IOException {
    finishTail();
    return history
        .append(
            new HistoryRecord(
                "",
                version,
                current.version(),
                InstantText.of(clock.instant()),
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
    finishTail();
    checkReady();
    List<Violation> violations = validator.validate(bundle);
    if (!violations.isEmpty()) {
      throw new BundleRejectedException(violations);
    }
    return applyValidated(bundle);
  }

  private void checkReady() {
    if (open != null) {
      throw new IllegalStateException(
          "version " + open.version() + " is applied and awaits commit or rollback");
    }
    if (needsRecovery) {
      throw new IllegalStateException("an interrupted apply needs recover() first");
    }
  }

  /**
   * As {@link #apply}, for a bundle that already passed a {@link BundleValidator} built from this
   * store's settings ({@link ConfigUpdater} validates before it decides to apply): validating
   * again, checksums included, would double the CPU an update costs. The targets are still checked
   * on disk.
   */
  synchronized ApplyHandle applyValidated(ConfigBundle bundle)
      throws BundleRejectedException, IOException {
    finishTail();
    checkReady();
    ApplyPlan plan = inspector.inspect(bundle);
    JournalRecord record = journalFor(bundle, plan);
    try (SyncGroup staged = durable.group()) {
      try {
        journal.writeInto(record, staged);
      } catch (IOException e) {
        throw ConfigStorageException.of("write the journal", journal.fileOf(record), e);
      }
      needsRecovery = true;
      listener.reached(ApplyStep.JOURNAL_WRITTEN);
      try {
        // What the previous commit left to the disk's own pace; its journal covers it until now.
        history.syncInto(staged);
        if (kept != null) {
          switcher.addTargetDirs(kept.record(), staged);
        }
        switcher.stage(record, plan, staged);
        staged.sync();
        history.synced();
        switcher.switchAll(record);
      } catch (ConfigStorageException | RuntimeException e) {
        abandon(record, e);
        throw e;
      } catch (IOException e) {
        ConfigStorageException failure =
            ConfigStorageException.of("stage", journal.fileOf(record), e);
        abandon(record, failure);
        throw failure;
      }
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
    finishTail();
    ApplyJournal.Scan scan = journal.scan();
    // A failed commit may have left current.json newer than the copy in memory.
    setCurrent(readCurrent(scan));
    if (scan.isEmpty()) {
      kept = null;
      needsRecovery = false;
      return new RecoveryOutcome(
          RecoveryOutcome.Action.NOTHING_TO_DO, "", "no interrupted apply", List.of());
    }
    RecoveryOutcome nothing =
        new RecoveryOutcome(
            RecoveryOutcome.Action.NOTHING_TO_DO,
            "",
            scan.torn().isEmpty()
                ? "no interrupted apply"
                : "removed the journal of an apply cut short before it changed any file",
            List.of());
    RecoveryOutcome outcome = nothing;
    // Oldest first: a commit that a later apply relied on is completed before that apply is judged.
    boolean repaired = scan.entries().size() > 1;
    for (ApplyJournal.Entry entry : scan.entries()) {
      JournalRecord record = entry.record();
      boolean committed =
          entry.committed().isPresent()
              || (entry.legacy()
                  && record.phase() == JournalRecord.Phase.PREPARED
                  && current.txn().equals(record.txn()));
      if (committed) {
        repaired |= finishCommitted(entry);
        outcome =
            new RecoveryOutcome(
                RecoveryOutcome.Action.COMMITTED,
                record.version(),
                "finished committing " + record.version(),
                List.of());
      } else {
        outcome = rollBackInterrupted(record);
        repaired = true;
      }
    }
    settle(scan.files(), scan.entries().stream().map(ApplyJournal.Entry::record).toList());
    if (outcome.action() == RecoveryOutcome.Action.COMMITTED && !repaired) {
      // The journal a finished commit keeps for the next apply; nothing was interrupted.
      return nothing;
    }
    return outcome;
  }

  private CurrentRecord readCurrent(ApplyJournal.Scan scan) throws IOException {
    // A committed journal may be all that holds the commit after a power cut; recovery rebuilds it.
    boolean rebuildable = scan.entries().stream().anyMatch(e -> e.committed().isPresent());
    return rebuildable ? currentFile.readOrNone() : currentFile.read();
  }

  /** Undoes an apply that was interrupted before its commit point. */
  private RecoveryOutcome rollBackInterrupted(JournalRecord record) throws IOException {
    if (record.phase() == JournalRecord.Phase.ROLLING_BACK) {
      finishRollback(record);
      return new RecoveryOutcome(
          RecoveryOutcome.Action.ROLLED_BACK,
          record.version(),
          "finished rolling back " + record.version() + ": " + record.reason(),
          record.serviceActions());
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
    decideRollback(rollback);
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

  /**
   * Completes a committed apply from its journal: the switch, the active version, the history line
   * and the dropped backups, each only if missing. Returns whether anything was.
   */
  private boolean finishCommitted(ApplyJournal.Entry entry) throws IOException {
    JournalRecord record = entry.record();
    boolean repaired = switcher.finishSwitch(record) > 0;
    CurrentRecord committed =
        entry.committed().isPresent()
            ? committedRecord(
                record, entry.committed().get().at(), entry.committed().get().caller())
            : current;
    if (!current.equals(committed)) {
      setCurrent(committed);
      repaired = true;
    }
    repaired |= !history.contains(record.txn(), ConfigResult.CONFIG_APPLIED.name());
    history.appendUnsynced(appliedEntry(record, committed));
    repaired |= switcher.dropBackups(record);
    return repaired;
  }

  /** Whether everything a committed journal covers is in place (a finished commit's journal). */
  private boolean isComplete(ApplyJournal.Entry entry) {
    ApplyJournal.Outcome commit = entry.committed().orElseThrow();
    return current.equals(committedRecord(entry.record(), commit.at(), commit.caller()))
        && history.contains(entry.record().txn(), ConfigResult.CONFIG_APPLIED.name());
  }

  /**
   * Makes the active version, the history and the directories of {@code records} durable, then
   * removes {@code journals}: what they covered no longer needs them.
   */
  private void settle(List<Path> journals, List<JournalRecord> records) throws IOException {
    currentFile.write(current);
    try (SyncGroup group = durable.group()) {
      history.syncInto(group);
      for (JournalRecord record : records) {
        switcher.addTargetDirs(record, group);
      }
      group.sync();
      history.synced();
    }
    journal.delete(journals);
    kept = null;
    needsRecovery = false;
  }

  synchronized ConfigHistoryEntry commit(ApplyHandle handle, JournalRecord record, String caller)
      throws IOException {
    commitLeavingTail(handle, record, caller);
    return finishTail();
  }

  /**
   * Commits up to and including the commit point, and makes the new version active; leaves the
   * writes after it to {@link #finishCommit}, so the caller can answer first. Any other call of
   * this store runs them first, so none of them sees them missing.
   */
  synchronized void commitLeavingTail(ApplyHandle handle, JournalRecord record, String caller)
      throws IOException {
    release(handle);
    Instant now = clock.instant();
    String at = InstantText.of(now);
    // The commit point: one fsync of one line. Everything after it is re-derived from the journal.
    journal.recordOutcome(record, new ApplyJournal.Outcome(ApplyJournal.COMMITTED, at, caller, ""));
    listener.reached(ApplyStep.COMMIT_RECORDED);
    CurrentRecord committed = committedRecord(record, at, caller);
    setCurrent(committed, committed.toProto(now));
    tail = new CommitTail(record, committed, now);
  }

  /**
   * Writes what the last commit left after its commit point ({@code current.json}, its history
   * line, the dropped backups, the previous journal's removal); nothing when nothing is left.
   *
   * @throws IOException a write failed; the committed journal keeps the commit and {@link
   *     #recover()} finishes it, and no apply is accepted before that
   */
  public synchronized void finishCommit() throws IOException {
    finishTail();
  }

  /** As {@link #finishCommit}; returns the commit's history entry, or null when none was left. */
  private ConfigHistoryEntry finishTail() throws IOException {
    CommitTail left = tail;
    if (left == null) {
      return null;
    }
    CurrentRecord committed = left.committed();
    // Whatever happens below, it is not tried twice: a failure leaves it to recover(), as a crash.
    tail = null;
    currentFile.overwriteUnsynced(committed);
    listener.reached(ApplyStep.CURRENT_WRITTEN);
    HistoryRecord entry = history.appendUnsynced(appliedEntry(left.record(), committed));
    listener.reached(ApplyStep.HISTORY_WRITTEN);
    switcher.dropBackups(left.record());
    // This apply's first wait made all the previous journal covered durable, and this one now
    // covers the active version.
    if (kept != null) {
      journal.forget(List.of(kept.file()));
    }
    kept =
        new ApplyJournal.Entry(
            journal.fileOf(left.record()),
            left.record(),
            Optional.of(
                new ApplyJournal.Outcome(
                    ApplyJournal.COMMITTED, committed.appliedAt(), committed.caller(), "")),
            false);
    needsRecovery = false;
    return entry.at().equals(committed.appliedAt()) ? entry.toProto(left.now()) : entry.toProto();
  }

  synchronized ConfigHistoryEntry rollBack(
      ApplyHandle handle, JournalRecord record, String caller, String reason) throws IOException {
    release(handle);
    JournalRecord rollback = record.rollingBack(caller, reason);
    decideRollback(rollback);
    ConfigHistoryEntry entry = finishRollback(rollback);
    List<Path> journals = new ArrayList<>();
    List<JournalRecord> records = new ArrayList<>();
    if (kept != null) {
      journals.add(kept.file());
      records.add(kept.record());
    }
    journals.add(journal.fileOf(record));
    settle(journals, records);
    return entry;
  }

  private void release(ApplyHandle handle) {
    if (open != handle) {
      throw new IllegalStateException("this apply was already committed or rolled back");
    }
    // Spent whatever happens next; a failure below leaves the journal for recover().
    open = null;
  }

  private void decideRollback(JournalRecord rollback) throws IOException {
    journal.recordOutcome(
        rollback,
        new ApplyJournal.Outcome(
            ApplyJournal.ROLLING_BACK, "", rollback.caller(), rollback.reason()));
    listener.reached(ApplyStep.ROLLBACK_DECIDED);
  }

  /** Restores the files and records the rollback durably; the caller removes the journal. */
  private ConfigHistoryEntry finishRollback(JournalRecord rollback) throws IOException {
    switcher.undo(rollback);
    HistoryRecord entry =
        history.append(
            new HistoryRecord(
                rollback.txn(),
                rollback.version(),
                rollback.previousVersion(),
                InstantText.of(clock.instant()),
                rollback.caller(),
                ConfigResult.CONFIG_ROLLED_BACK.name(),
                rollback.reason()));
    listener.reached(ApplyStep.HISTORY_WRITTEN);
    return entry.toProto();
  }

  private void abandon(JournalRecord record, Exception failure) {
    try {
      switcher.undo(record);
      journal.delete(List.of(journal.fileOf(record)));
      needsRecovery = false;
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private CurrentRecord committedRecord(JournalRecord record, String at, String caller) {
    List<CurrentRecord.FileRecord> files = new ArrayList<>();
    for (JournalRecord.JournalFile f : record.files()) {
      files.add(new CurrentRecord.FileRecord(f.path(), f.sha256(), f.mode()));
    }
    return new CurrentRecord(record.version(), record.txn(), at, caller, files);
  }

  private static HistoryRecord appliedEntry(JournalRecord record, CurrentRecord committed) {
    return new HistoryRecord(
        record.txn(),
        record.version(),
        record.previousVersion(),
        committed.appliedAt(),
        committed.caller(),
        ConfigResult.CONFIG_APPLIED.name(),
        "");
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
        journal.nextSequence(),
        txn,
        JournalRecord.Phase.PREPARED,
        bundle.getVersion(),
        current.version(),
        InstantText.of(clock.instant()),
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
