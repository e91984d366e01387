package org.debvisor.agent.config;

import java.util.List;
import org.debvisor.proto.ServiceAction;

/**
 * What {@link ConfigStore#recover()} found and did.
 *
 * @param action what was done
 * @param version the interrupted bundle's version ("" when there was none)
 * @param detail a sentence for the log
 * @param services the interrupted bundle's service actions, to repeat once its files are restored
 *     (empty unless {@link Action#ROLLED_BACK})
 */
public record RecoveryOutcome(
    Action action, String version, String detail, List<ServiceAction> services) {

  public RecoveryOutcome {
    services = List.copyOf(services);
  }

  /** The kinds of repair. */
  public enum Action {
    /** No apply was interrupted. */
    NOTHING_TO_DO,
    /**
     * An apply was interrupted before any file changed; its staged files were removed and a
     * rollback recorded.
     */
    DISCARDED,
    /** An apply or rollback was interrupted; the previous version was restored and recorded. */
    ROLLED_BACK,
    /** A commit was interrupted; it was completed. */
    COMMITTED
  }
}
