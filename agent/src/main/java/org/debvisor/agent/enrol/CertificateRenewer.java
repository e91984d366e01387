package org.debvisor.agent.enrol;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.csr.CsrFactory;
import org.debvisor.common.tls.IssuedCertificate;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.RenewCertificateRequest;
import org.debvisor.proto.RenewCertificateResponse;

/**
 * Renews the node certificate over mutual TLS when it enters its renewal window: the controller's
 * renew_before from enrolment, else the last third of the certificate's lifetime.
 */
final class CertificateRenewer {

  private static final long DEADLINE_SECONDS = 30;

  /** True when {@code credentials} should be renewed at {@code now}. */
  static boolean due(NodeCredentials credentials, Instant now, Duration renewBefore) {
    Duration window = renewBefore != null ? renewBefore : credentials.lifetime().dividedBy(3);
    return !now.isBefore(credentials.notAfter().minus(window));
  }

  /**
   * A new key pair and certificate for the same node.
   *
   * @throws StatusRuntimeException when the controller refuses or cannot be reached
   * @throws IOException when its answer is unusable
   */
  NodeCredentials renew(ManagedChannel mutualChannel, String nodeId) throws IOException {
    CsrFactory.Request csr = CsrFactory.create(nodeId);
    RenewCertificateResponse response =
        ControllerGrpc.newBlockingStub(mutualChannel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .renewCertificate(
                RenewCertificateRequest.newBuilder()
                    .setCsrDer(com.google.protobuf.ByteString.copyFrom(csr.der()))
                    .build());
    return IssuedCertificate.verify(
        csr.keys().getPrivate(), nodeId, response.getCertificatePem(), response.getCaBundlePem());
  }
}
