package org.debvisor.controller.qemu;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code iso test} saw for image-mode media: install, first boot and agent.
 *
 * @param accelerator KVM or TCG
 * @param reached each phase reached, with its time after the first QEMU start
 * @param finished whether the installed node's agent answered Status
 * @param reason why it stopped, when it did not finish
 * @param agentHostname the host name the agent reported
 * @param agentSummary the agent's one-line health summary
 * @param lastLines the last console lines (of the install, or of the first boot)
 * @param workDir where the logs are
 */
public record ImageTestReport(
    Accelerator accelerator,
    Map<ImageInstallPhase, Duration> reached,
    boolean finished,
    Optional<String> reason,
    String agentHostname,
    String agentSummary,
    List<String> lastLines,
    Path workDir) {

  public ImageTestReport {
    reached = Map.copyOf(reached);
    lastLines = List.copyOf(lastLines);
  }
}
