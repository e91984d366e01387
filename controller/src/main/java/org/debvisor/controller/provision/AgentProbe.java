package org.debvisor.controller.provision;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentPorts;
import org.debvisor.common.connect.ConnectionDiagnosis;
import org.debvisor.common.connect.ConnectionFailures;
import org.debvisor.controller.ssh.LocalForward;
import org.debvisor.controller.ssh.SshConnection;
import org.debvisor.controller.ssh.SshException;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;

/**
 * Is a node's agent up? Asks the agent for {@code Node/Status} through an SSH port forward to its
 * loopback gRPC port (nothing runs on the node), and, when the node enrols, asks the controller
 * whether it knows the node. Polls with a growing pause (0.5 s to 5 s), bounded by the timeout.
 */
public final class AgentProbe implements HealthProbe {

  private static final Duration RPC_DEADLINE = Duration.ofSeconds(10);
  private static final long MAX_PAUSE_MILLIS = 5_000;

  private final Enrolment enrolment;

  /**
   * @param enrolment how to tell that a node enrolled
   */
  public AgentProbe(Enrolment enrolment) {
    this.enrolment = enrolment;
  }

  /** How to tell that a node enrolled. */
  @FunctionalInterface
  public interface Enrolment {

    /**
     * @param ssh a connection to the node
     * @param hostname the name the node's agent reports
     * @return empty when enrolled, else why not
     */
    Optional<String> check(SshConnection ssh, String hostname) throws SshException;

    /** Asks the controller ({@code Controller/GetNodeStatus} by hostname). */
    static Enrolment askingController(Supplier<ControllerGrpc.ControllerBlockingStub> controller) {
      return askingController(controller, "");
    }

    /**
     * Asks the controller at {@code target} (HOST:PORT); a failure to reach it says what failed.
     */
    static Enrolment askingController(
        Supplier<ControllerGrpc.ControllerBlockingStub> controller, String target) {
      return (ssh, hostname) -> {
        try {
          controller
              .get()
              .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(hostname).build());
          return Optional.empty();
        } catch (StatusRuntimeException e) {
          return Optional.of(
              e.getStatus().getCode() == Status.Code.NOT_FOUND
                  ? "not enrolled yet (the controller does not know "
                      + hostname
                      + "; is the"
                      + " controller reachable from the node and the token valid?)"
                  : "cannot ask the controller: "
                      + ConnectionFailures.diagnose(e, target)
                          .map(ConnectionDiagnosis::message)
                          .orElse(e.getStatus().toString()));
        }
      };
    }

    /**
     * Without a controller to ask (no operator token): the certificate the agent keeps once the
     * controller issued it.
     */
    static Enrolment nodeCertificate() {
      return (ssh, hostname) ->
          ssh.exec("test -s " + AgentPaths.NODE_CERT, RPC_DEADLINE).ok()
              ? Optional.empty()
              : Optional.of(
                  "not enrolled yet (no "
                      + AgentPaths.NODE_CERT
                      + "; is the controller reachable from the node and the token valid?)");
    }
  }

  /** One {@code Node/Status} call to the agent on the far end of {@code ssh}. */
  public NodeStatus status(SshConnection ssh) throws SshException {
    try (LocalForward forward = ssh.forwardToLoopback(AgentPorts.GRPC)) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", forward.localPort()).usePlaintext().build();
      try {
        return NodeGrpc.newBlockingStub(channel)
            .withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .status(StatusRequest.getDefaultInstance());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** Empty when the node enrolled, else why not. */
  public Optional<String> enrolment(SshConnection ssh, NodeStatus status) throws SshException {
    return enrolment.check(ssh, status.getNode().getHostname());
  }

  @Override
  public String awaitHealthy(NodeSession node, Duration timeout)
      throws SshException, StepFailedException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    for (int attempts = 1; ; attempts++) {
      try {
        NodeStatus status = status(node.connection());
        Verdict v = judge(status);
        Optional<String> notEnrolled =
            v.healthy() && node.plan().enrols()
                ? enrolment(node.connection(), status)
                : Optional.empty();
        if (v.healthy() && notEnrolled.isEmpty()) {
          return v.description() + (node.plan().enrols() ? ", enrolled" : "");
        }
        last = v.description() + notEnrolled.map(why -> ", " + why).orElse("");
      } catch (StatusRuntimeException e) {
        last = "agent not answering on port " + AgentPorts.GRPC + " yet (" + e.getStatus() + ")";
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(Math.min(MAX_PAUSE_MILLIS, 500L * attempts));
    }
    throw new StepFailedException(
        "the agent did not report healthy within "
            + timeout.toSeconds()
            + " s: "
            + last
            + " (see "
            + StartAgentStep.LOG_FILE
            + " or journalctl -u debvisor-agent on the host)",
        "");
  }

  /**
   * A health verdict from the agent's report.
   *
   * @param healthy OK or WARN
   * @param description e.g. "agent on node1 reports HEALTH_OK, agent 0.1.0"
   */
  record Verdict(boolean healthy, String description) {}

  static Verdict judge(NodeStatus status) {
    HealthState state = status.getState();
    String version = status.getNode().getAgentVersion();
    String hostname = status.getNode().getHostname();
    String desc =
        "agent on "
            + (hostname.isEmpty() ? "?" : hostname)
            + " reports "
            + (state == HealthState.HEALTH_STATE_UNSPECIFIED ? "HEALTH_UNKNOWN" : state.name())
            + (version.isEmpty() ? "" : ", agent " + version);
    boolean healthy = state == HealthState.HEALTH_OK || state == HealthState.HEALTH_WARN;
    return new Verdict(healthy, desc);
  }
}
