package org.debvisor.controller.rollout;

import java.time.Duration;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;

/**
 * The agent RPCs a rollout needs. Failures come as {@link io.grpc.StatusRuntimeException}; the
 * caller decides what is worth a retry.
 */
public interface AgentCalls extends AutoCloseable {

  NodeStatus status(String agentAddress, Duration deadline);

  UpdateConfigResponse updateConfig(
      String agentAddress, UpdateConfigRequest request, Duration deadline);

  /** Ceph's {@code osd ok-to-stop}, asked through the agent at {@code agentAddress}. */
  CheckOkToStopResponse checkOkToStop(
      String agentAddress, CheckOkToStopRequest request, Duration deadline);

  @Override
  void close();
}
