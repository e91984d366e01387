package org.debvisor.controller.rollout;

import java.util.List;
import org.debvisor.proto.ConfigBundle;

/**
 * Validates a bundle before any node is touched; returns "field: rule" messages, empty when valid.
 */
@FunctionalInterface
public interface BundleCheck {
  List<String> problems(ConfigBundle bundle);
}
