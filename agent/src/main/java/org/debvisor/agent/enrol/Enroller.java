package org.debvisor.agent.enrol;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.csr.CsrFactory;
import org.debvisor.common.tls.IssuedCertificate;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * Enrols the node: a fresh key and CSR, RegisterNode with the bootstrap token over TLS that trusts
 * only the pinned controller CA, and a check of the certificate that comes back. Stores nothing.
 */
final class Enroller {

  /** What enrolment returned. */
  record Enrolment(NodeCredentials credentials, Duration renewBefore, Duration heartbeatInterval) {}

  private static final long DEADLINE_SECONDS = 30;

  private final ControllerChannels channels;

  Enroller(ControllerChannels channels) {
    this.channels = channels;
  }

  /**
   * @throws StatusRuntimeException when the controller answers with an error (e.g. token refused)
   * @throws IOException when the pinned CA cannot be read or the answer is unusable
   */
  Enrolment enrol(NodeDescription node, String token, HardwareFacts facts) throws IOException {
    CsrFactory.Request csr = CsrFactory.create(node.nodeId());
    ManagedChannel channel = channels.enrolment();
    try {
      RegisterNodeResponse response =
          ControllerGrpc.newBlockingStub(channel)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .registerNode(
                  RegisterNodeRequest.newBuilder()
                      .setCsrDer(com.google.protobuf.ByteString.copyFrom(csr.der()))
                      .setBootstrapToken(token)
                      .setNodeId(node.nodeId())
                      .setHostname(node.hostname())
                      .setProfile(node.profile())
                      .setAgentAddress(node.agentAddress())
                      .setFacts(facts)
                      .setAgentVersion(node.agentVersion())
                      .build());
      NodeCredentials credentials =
          IssuedCertificate.verify(
              csr.keys().getPrivate(),
              node.nodeId(),
              response.getCertificatePem(),
              response.getCaBundlePem());
      return new Enrolment(
          credentials,
          response.hasRenewBefore() ? Durations.of(response.getRenewBefore()) : null,
          response.hasHeartbeatInterval() ? Durations.of(response.getHeartbeatInterval()) : null);
    } finally {
      ControllerChannels.close(channel);
    }
  }
}
