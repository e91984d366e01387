package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;

/**
 * Simulated agents heartbeating: {@code agents} agents each reporting every {@code interval},
 * spread evenly (an open loop at agents/interval calls per second). Each of {@code connections}
 * mutual-TLS connections presents the certificate of a different enrolled node; agent {@code a}
 * sends over connection {@code a % connections}, so the controller authenticates every call against
 * its inventory and records it for that connection's node. With several controllers, connection
 * {@code c} goes to controller {@code c % ports}.
 */
final class HeartbeatLoad implements AutoCloseable {

  private static final int MAX_OUTSTANDING = 20_000;
  private static final int CONNECTING_AT_ONCE = 64;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<ControllerGrpc.ControllerFutureStub> stubs = new ArrayList<>();
  private final List<HeartbeatRequest> requests = new ArrayList<>();

  HeartbeatLoad(List<Integer> ports, Path caFile, List<EnrolledNode> nodes, int connections)
      throws Exception {
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    for (int i = 0; i < Math.min(connections, nodes.size()); i++) {
      EnrolledNode node = nodes.get(i);
      X509Certificate certificate =
          (X509Certificate)
              x509.generateCertificate(
                  new java.io.ByteArrayInputStream(
                      node.certificatePem().getBytes(StandardCharsets.US_ASCII)));
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", ports.get(i % ports.size()))
              .sslContext(
                  GrpcSslContexts.forClient()
                      .trustManager(caFile.toFile())
                      .keyManager(node.keys().getPrivate(), certificate)
                      .build())
              .build();
      channels.add(channel);
      stubs.add(ControllerGrpc.newFutureStub(channel));
      requests.add(
          HeartbeatRequest.newBuilder()
              .setAgentAddress("127.0.0.1:5000")
              .setStatus(
                  NodeStatus.newBuilder()
                      .setNode(
                          NodeIdentity.newBuilder()
                              .setNodeId(node.nodeId())
                              .setHostname(node.nodeId())
                              .setArch("amd64"))
                      .setState(HealthState.HEALTH_OK)
                      .setSummary("ceph: HEALTH_OK; hypervisor: ok; system: ok")
                      .setRevision(1))
              .build());
    }
  }

  /** One heartbeat on connection {@code connection}. */
  com.google.common.util.concurrent.ListenableFuture<org.debvisor.proto.HeartbeatResponse> once(
      int connection, Duration deadline) {
    return stubs
        .get(connection)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .heartbeat(requests.get(connection));
  }

  int connections() {
    return channels.size();
  }

  /**
   * One heartbeat on every connection (handshakes, first report), {@value #CONNECTING_AT_ONCE} at a
   * time; not measured.
   */
  long connectAll() throws Exception {
    long failed = 0;
    for (int from = 0; from < stubs.size(); from += CONNECTING_AT_ONCE) {
      int to = Math.min(stubs.size(), from + CONNECTING_AT_ONCE);
      List<com.google.common.util.concurrent.ListenableFuture<?>> batch = new ArrayList<>();
      for (int i = from; i < to; i++) {
        batch.add(stubs.get(i).withDeadlineAfter(120, TimeUnit.SECONDS).heartbeat(requests.get(i)));
      }
      for (int i = from; i < to; i++) {
        try {
          batch.get(i - from).get();
        } catch (java.util.concurrent.ExecutionException e) {
          failed++;
          // Which node and why: a refused connection is otherwise only a count.
          System.err.println(
              "heartbeat connection " + i + " refused: " + e.getCause().getMessage());
        }
      }
    }
    return failed;
  }

  LoadResult run(int agents, Duration interval, Duration duration) throws InterruptedException {
    int rate = (int) Math.max(1, agents / interval.toSeconds());
    int n = stubs.size();
    return OpenLoop.run(
        agents
            + " agents every "
            + interval.toSeconds()
            + " s ("
            + rate
            + " heartbeats/s) over "
            + n
            + " mTLS connections",
        "controller",
        rate,
        duration,
        MAX_OUTSTANDING,
        i -> {
          int connection = (int) ((i % agents) % n);
          return stubs
              .get(connection)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .heartbeat(requests.get(connection));
        },
        r -> true);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
