package org.debvisor.controller.preseed;

import java.util.List;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeValidator;

/** Validates a node install against the preseed data, then renders its preseed. */
public final class PreseedGenerator {

  private final PreseedData data;
  private final PreseedRenderer renderer;
  private final NodeValidator validator;

  /**
   * @param data template and profiles
   * @param agentPackage where the agent {@code .deb} is on the installer media (see {@link
   *     LateCommandBuilder#DEFAULT_AGENT_PACKAGE})
   */
  public PreseedGenerator(PreseedData data, String agentPackage) {
    this.data = data;
    this.renderer = new PreseedRenderer(data.template(), new LateCommandBuilder(agentPackage));
    this.validator = new NodeValidator(data.profiles().keySet());
  }

  /** Every problem of the node; empty when it can be rendered. */
  public List<Violation> validate(NodeInstall node) {
    return validator.validate(node);
  }

  /**
   * The preseed for the node.
   *
   * @param source names the node's file in the error
   * @throws InvalidInputException listing every problem when the node is not valid
   */
  public String generate(String source, NodeInstall node, Architecture arch)
      throws InvalidInputException {
    List<Violation> problems = validator.validate(node);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(source, problems);
    }
    return renderer.render(node, data.profiles().get(node.profile()), arch);
  }
}
