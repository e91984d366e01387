package org.debvisor.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.Agent;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agent.testing.TestPki;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.TlsSettings;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-loopback listen address is served with TLS only. The server binds the wildcard address (not
 * loopback, so TLS applies) and the test connects through 127.0.0.1.
 */
class TlsEndpointTest {

  @TempDir Path dir;
  private TestPki.Issued ca;
  private Agent agent;
  private ManagedChannel channel;

  @BeforeEach
  void pki() {
    ca = TestPki.selfSignedCa("DebVisor test CA");
  }

  private Path caFile() throws Exception {
    return Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
  }

  /** A certificate for {@code name} valid for 127.0.0.1, written as PEM files. */
  private PemFiles issue(String name) throws Exception {
    TestPki.Issued issued = TestPki.issue(ca, name, TestPki.ec(), "127.0.0.1");
    return new PemFiles(
        Files.writeString(dir.resolve(name + ".crt"), issued.certificatePem()),
        Files.writeString(dir.resolve(name + ".key"), issued.pkcs8KeyPem()));
  }

  private record PemFiles(Path cert, Path key) {}

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (agent != null) {
      agent.close();
    }
  }

  private int startServer(TlsSettings tls) throws Exception {
    agent =
        TestAgents.start(
            TestAgents.settings(
                new GrpcSettings(List.of("0.0.0.0:0"), tls, null, null),
                new AuthSettings(null, List.of("controller")),
                null,
                null),
            List.of());
    return agent.grpcAddresses().get(0).getPort();
  }

  private ManagedChannel tlsChannel(int port, PemFiles clientCert) throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(caFile().toFile());
    if (clientCert != null) {
      ssl.keyManager(clientCert.cert().toFile(), clientCert.key().toFile());
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
    return channel;
  }

  @Test
  void mutualTlsClientWithACertificateFromTheCaIsServed() throws Exception {
    PemFiles node = issue("node");
    int port = startServer(new TlsSettings(node.cert(), node.key(), caFile()));

    var status =
        NodeGrpc.newBlockingStub(tlsChannel(port, issue("controller")))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());

    assertThat(status.getNode().getNodeId()).isEqualTo("test-node");
  }

  @Test
  void clientWithoutCertificateIsRefusedWhenMutualTlsIsOn() throws Exception {
    PemFiles node = issue("node");
    int port = startServer(new TlsSettings(node.cert(), node.key(), caFile()));

    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(tlsChannel(port, null))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void plaintextClientGetsNothingFromATlsAddress() throws Exception {
    PemFiles node = issue("node");
    int port = startServer(new TlsSettings(node.cert(), node.key(), null));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();

    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void unreadableKeyMaterialFailsStartNamingTheFiles() throws Exception {
    Path cert = Files.writeString(dir.resolve("bad.crt"), "not a certificate");
    Path key = Files.writeString(dir.resolve("bad.key"), "not a key");

    assertThatThrownBy(() -> startServer(new TlsSettings(cert, key, null)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("grpc.tls")
        .hasMessageContaining(cert.toString());
  }

  @Test
  void allowedControllerCertificateMayUpdateConfigAndAnyOtherIsDenied() throws Exception {
    PemFiles node = issue("node");
    int port = startServer(new TlsSettings(node.cert(), node.key(), caFile()));

    Status.Code controller = codeOfUpdate(tlsChannel(port, issue("controller")));
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    Status.Code intruder = codeOfUpdate(tlsChannel(port, issue("intruder")));

    // The controller gets past authorisation to validation of its (empty) bundle.
    assertThat(controller).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(intruder).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  private static Status.Code codeOfUpdate(ManagedChannel channel) {
    try {
      NodeGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .updateConfig(org.debvisor.proto.UpdateConfigRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
