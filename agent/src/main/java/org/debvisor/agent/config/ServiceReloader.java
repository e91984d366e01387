package org.debvisor.agent.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.process.Outcome;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ServiceAction;

/**
 * Reloads or restarts the services a bundle names, with the commands the agent is configured with
 * ({@code systemctl} on real nodes), and only units the settings allow.
 */
public final class ServiceReloader {

  private static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\-]{1,255}");
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final ConfigSettings settings;
  private final ProcessRunner runner;
  private final List<PathMatcher> allowed;

  public ServiceReloader(ConfigSettings settings, ProcessRunner runner) {
    this.settings = settings;
    this.runner = runner;
    this.allowed =
        settings.allowedUnits().stream()
            .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
            .toList();
  }

  /** Rules for {@code bundle.services}: sane names, allowed units, a known action. */
  public List<Violation> validate(List<ServiceAction> services) {
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < services.size(); i++) {
      ServiceAction s = services.get(i);
      String field = "bundle.services[" + i + "]";
      if (!UNIT_NAME.matcher(s.getUnit()).matches()) {
        violations.add(
            new Violation(field + ".unit", "must be a systemd unit name, e.g. nginx.service"));
      } else if (!isAllowed(s.getUnit())) {
        violations.add(
            new Violation(
                field + ".unit",
                "'"
                    + s.getUnit()
                    + "' is not among the units this agent may reload (config.allowedUnits: "
                    + settings.allowedUnits()
                    + ")"));
      }
      if (s.getAction() != ServiceAction.Action.RELOAD
          && s.getAction() != ServiceAction.Action.RESTART) {
        violations.add(new Violation(field + ".action", "must be RELOAD or RESTART"));
      }
    }
    return violations;
  }

  /** True when {@code unit} is a sane unit name; gate checks may ask about any unit. */
  static boolean isUnitName(String unit) {
    return UNIT_NAME.matcher(unit).matches();
  }

  private boolean isAllowed(String unit) {
    Path asPath = Path.of(unit);
    return allowed.stream().anyMatch(m -> m.matches(asPath));
  }

  /**
   * Runs each action in order and stops at the first failure.
   *
   * @throws ServiceReloadException naming the unit and what the command said
   */
  public void apply(List<ServiceAction> services)
      throws ServiceReloadException, InterruptedException {
    for (ServiceAction s : services) {
      List<String> template =
          s.getAction() == ServiceAction.Action.RESTART
              ? settings.restartCommand()
              : settings.reloadCommand();
      List<String> argv = template.stream().map(a -> a.replace("{unit}", s.getUnit())).toList();
      Outcome outcome = runner.run(argv, TIMEOUT);
      if (!outcome.succeeded()) {
        throw new ServiceReloadException(
            (s.getAction() == ServiceAction.Action.RESTART ? "restarting " : "reloading ")
                + s.getUnit()
                + " failed ("
                + String.join(" ", argv)
                + "): "
                + outcome.describe(TIMEOUT));
      }
    }
  }

  /** A service could not be reloaded or restarted. */
  public static final class ServiceReloadException extends Exception {
    public ServiceReloadException(String message) {
      super(message);
    }
  }
}
