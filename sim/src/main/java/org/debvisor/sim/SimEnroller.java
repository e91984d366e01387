package org.debvisor.sim;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.csr.CsrFactory;
import org.debvisor.common.tls.IssuedCertificate;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * Enrols one simulated agent the way the agent does: a fresh P-256 key and CSR, RegisterNode with a
 * single-use bootstrap token over TLS that trusts only the pinned controller CA, and a check of the
 * certificate that comes back. Waits as told when the controller's enrolment rate limit pushes
 * back, a bounded number of times.
 */
final class SimEnroller {

  private static final Metadata.Key<String> PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
  private static final long DEADLINE_SECONDS = 30;
  private static final int MAX_ATTEMPTS = 100;
  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  private final ManagedChannel channel;

  SimEnroller(ManagedChannel channel) {
    this.channel = channel;
  }

  /**
   * @return the credentials and the controller's heartbeat interval (null when it gave none)
   * @throws StatusRuntimeException when the controller refuses for good or stays unreachable
   * @throws IOException when its answer is unusable
   */
  Enrolment enrol(SimAgent agent, String token) throws IOException, InterruptedException {
    CsrFactory.Request csr = CsrFactory.create(agent.nodeId());
    RegisterNodeRequest request =
        RegisterNodeRequest.newBuilder()
            .setCsrDer(ByteString.copyFrom(csr.der()))
            .setBootstrapToken(token)
            .setNodeId(agent.nodeId())
            .setHostname(agent.hostname())
            .setAgentAddress(agent.address())
            .setFacts(SimStatus.facts(agent.nodeId()))
            .setAgentVersion(SimStatus.AGENT_VERSION)
            .build();
    for (int attempt = 1; ; attempt++) {
      try {
        RegisterNodeResponse response =
            ControllerGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .registerNode(request);
        NodeCredentials credentials =
            IssuedCertificate.verify(
                csr.keys().getPrivate(),
                agent.nodeId(),
                response.getCertificatePem(),
                response.getCaBundlePem());
        Duration interval =
            response.hasHeartbeatInterval()
                ? Duration.ofSeconds(response.getHeartbeatInterval().getSeconds())
                : null;
        return new Enrolment(credentials, interval);
      } catch (StatusRuntimeException e) {
        if (!retryable(e) || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(wait(e, attempt).toMillis());
      }
    }
  }

  /** What enrolment returned. */
  record Enrolment(NodeCredentials credentials, Duration heartbeatInterval) {}

  private static boolean retryable(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE;
  }

  /** The controller's pushback when it sent one, else a short growing wait; never above 5 s. */
  static Duration wait(StatusRuntimeException e, int attempt) {
    Metadata trailers = e.getTrailers();
    String pushback = trailers == null ? null : trailers.get(PUSHBACK_MS);
    long millis = 100L * Math.min(attempt, 50);
    if (pushback != null) {
      try {
        millis = Math.max(1, Long.parseLong(pushback.trim()));
      } catch (NumberFormatException ignored) {
        // Keep the default wait.
      }
    }
    return Duration.ofMillis(Math.min(millis, MAX_WAIT.toMillis()));
  }
}
