package org.debvisor.controller.rollout;

import java.util.List;
import java.util.regex.Pattern;
import org.debvisor.proto.ConfigBundle;

/**
 * The one bundle rule the controller itself relies on: the version, which keys the bundle store.
 * The full rules live with the agent's BundleValidator; once it moves to agent-api the controller
 * checks bundles with it instead (issue 16, branch agent-hardening).
 */
public final class BundleVersionRule implements BundleCheck {

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  public List<String> problems(ConfigBundle bundle) {
    if (!VERSION.matcher(bundle.getVersion()).matches()) {
      return List.of(
          "version: '" + bundle.getVersion() + "' must be 1-64 characters of [A-Za-z0-9._:-]");
    }
    return List.of();
  }
}
