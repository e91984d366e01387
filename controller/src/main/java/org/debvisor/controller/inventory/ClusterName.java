package org.debvisor.controller.inventory;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for cluster names, shared by the controller (which enforces it) and the CLIs (which
 * check early): a DNS label in lower case, so a name works unchanged as a Kubernetes name, in
 * metrics labels and, with '-' read as '_', as an Ansible group.
 */
public final class ClusterName {

  /** The cluster of every node whose token named none. */
  public static final String DEFAULT = "default";

  /** The rule, as error messages state it. */
  public static final String RULE =
      "must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit";

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private ClusterName() {}

  /** What is wrong with {@code name} ("" is fine: it means {@link #DEFAULT}), or empty. */
  public static Optional<String> problem(String name) {
    if (name.isEmpty() || NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(RULE);
  }

  /** {@code name}, or {@link #DEFAULT} when it is empty. */
  public static String orDefault(String name) {
    return name.isEmpty() ? DEFAULT : name;
  }
}
