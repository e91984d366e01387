package org.debvisor.agent.config;

import java.io.IOException;
import org.debvisor.proto.ConfigHistoryEntry;

/**
 * A bundle whose files are in place but not yet final: {@link #commit} keeps it, {@link #rollBack}
 * restores the previous files. Exactly one of them should be called, once.
 */
public final class ApplyHandle {

  private final ConfigStore store;
  private final JournalRecord journal;

  ApplyHandle(ConfigStore store, JournalRecord journal) {
    this.store = store;
    this.journal = journal;
  }

  /** The applied bundle's version. */
  public String version() {
    return journal.version();
  }

  /** The version that was active before; it stays active until {@link #commit}. */
  public String previousVersion() {
    return journal.previousVersion();
  }

  /**
   * Makes the new files final: updates the active version, records APPLIED, drops the backups.
   *
   * @throws IOException the commit could not be written; {@link ConfigStore#recover()} finishes it
   */
  public ConfigHistoryEntry commit(String caller) throws IOException {
    return store.commit(this, journal, caller);
  }

  /**
   * As {@link #commit}, returning once the commit is durable and the new version active; the writes
   * that follow (see {@link ConfigStore#finishCommit}) are left for after the caller's answer.
   */
  public void commitLeavingTail(String caller) throws IOException {
    store.commitLeavingTail(this, journal, caller);
  }

  /**
   * Restores every file to exactly its previous state and records ROLLED_BACK with the reason.
   *
   * @throws IOException the restore could not complete; {@link ConfigStore#recover()} retries it
   */
  public ConfigHistoryEntry rollBack(String caller, String reason) throws IOException {
    return store.rollBack(this, journal, caller, reason);
  }
}
