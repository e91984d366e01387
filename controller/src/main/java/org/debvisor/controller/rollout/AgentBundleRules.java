package org.debvisor.controller.rollout;

import java.nio.file.Path;
import java.util.List;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.bundle.AccountLookup;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;

/**
 * Checks a bundle with the agent's own validator (agent-api), against the allowed roots the
 * controller is told agents use; owners and groups are checked for form only, since the node's
 * accounts are unknown here.
 */
public final class AgentBundleRules implements BundleCheck {

  private final BundleValidator validator;

  /**
   * @param allowedRoots the agents' {@code config.allowedRoots}
   */
  public AgentBundleRules(List<Path> allowedRoots) {
    ConfigSettings defaults = ConfigSettings.defaults();
    this.validator =
        new BundleValidator(
            new ConfigSettings(
                defaults.stateDir(),
                allowedRoots,
                defaults.maxFileBytes(),
                defaults.maxBundleBytes(),
                defaults.maxFiles(),
                defaults.historyLimit(),
                defaults.allowedUnits(),
                defaults.reloadCommand(),
                defaults.restartCommand(),
                defaults.unitActiveCommand(),
                defaults.gateCommands()),
            AccountLookup.UNCHECKED);
  }

  @Override
  public List<String> problems(ConfigBundle bundle) {
    return validator.validate(bundle).stream().map(Violation::toString).toList();
  }
}
