package org.debvisor.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real controller ({@code debvisor controller serve}) with two real agent processes: enrolment,
 * mutual TLS to the agents with the issued certificates, token reuse, revocation, a controller
 * restart under reporting agents, and the audit trail of it all. Waits poll with a bound; nothing
 * asserts on speed.
 */
class ControllerWithAgentsIT {

  private static final long WAIT_SECONDS = 30;

  @TempDir Path dir;

  private final List<AgentProcess> agents = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private ServedController controller;
  private final Map<String, String> env = new HashMap<>();
  private String out;
  private String err;

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (AgentProcess a : agents) {
      a.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void agentsEnrolServeMutualTlsGetRevokedAndOutliveAControllerRestart() throws Exception {
    Path state = dir.resolve("controller");
    int port = AgentProcess.freePort();
    controller = ServedController.start(state, port);
    env.put("DEBVISOR_STATE_DIR", state.toString());
    env.put("DEBVISOR_CONTROLLER", "127.0.0.1:" + port);
    Path ca = state.resolve("pki/ca.pem");

    // Enrolment of two agents with one token each, created through the CLI.
    String tokenA = createToken();
    AgentProcess a = agent("node-a", tokenA, "127.0.0.2");
    AgentProcess b = agent("node-b", createToken(), "127.0.0.3");
    for (AgentProcess agent : List.of(a, b)) {
      // The agent renames node.key.next to node.key after writing node.pem (CredentialStore).
      waitFor(
          agent,
          "enrolled",
          () ->
              Files.exists(agent.pkiDir.resolve("node.pem"))
                  && Files.exists(agent.pkiDir.resolve("node.key")));
      assertThat(Files.getPosixFilePermissions(agent.pkiDir.resolve("node.key")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    waitFor(
        null, "both nodes reported", () -> nodes().stream().allMatch(NodeRecord::hasLastStatus));
    List<NodeRecord> listed = nodes();
    assertThat(listed).extracting(NodeRecord::getNodeId).containsExactly("node-a", "node-b");
    for (NodeRecord n : listed) {
      assertThat(n.getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_ACTIVE);
      assertThat(n.getProfile()).isEqualTo("ceph");
      assertThat(n.getFacts().getFingerprint()).isNotEmpty();
      assertThat(n.getFacts().getCpu().getThreads()).isPositive();
      assertThat(n.getLastStatus().getNode().getNodeId()).isEqualTo(n.getNodeId());
    }
    assertThat(run("nodes", "list")).as(err).isZero();
    assertThat(out).contains("node-a", "node-b");

    // Mutual TLS on the node address: the node's certificate works; none or a foreign one does not.
    NodeStatus status =
        NodeGrpc.newBlockingStub(
                tls(
                    a,
                    clientContext(ca, a.pkiDir.resolve("node.pem"), a.pkiDir.resolve("node.key"))))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
    assertThat(status.getNode().getNodeId()).isEqualTo("node-a");
    assertRefused(tls(a, GrpcSslContexts.forClient().trustManager(ca.toFile()).build()));
    Path foreign = dir.resolve("foreign-pki");
    CertificateAuthority.KeyMaterial stranger =
        CertificateAuthority.loadOrCreate(foreign, Clock.systemUTC()).issueClientMaterial(foreign);
    assertRefused(tls(a, clientContext(ca, stranger.certificateFile(), stranger.keyFile())));

    // A used token enrols nothing.
    AgentProcess c = agent("node-c", tokenA, "127.0.0.4");
    waitFor(c, "refused enrolment", () -> c.metric("debvisor_agent_enrolment_failures_total") >= 1);
    assertThat(c.pkiDir.resolve("node.key")).doesNotExist();
    assertThat(c.pkiDir.resolve("node.pem")).doesNotExist();
    assertThat(nodes()).extracting(NodeRecord::getNodeId).containsExactly("node-a", "node-b");
    // dvb_<id>_<secret>; the secret's base64url alphabet has '_' too, so split twice only.
    assertThat(c.log()).doesNotContain(tokenA.split("_", 3)[2]);

    // Revocation: the agent's heartbeats are refused from then on.
    assertThat(run("node", "revoke", "node-b", "--reason", "e2e")).as(err).isZero();
    assertThat(node("node-b").getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_REVOKED);
    double failuresAtRevoke = b.metric("debvisor_agent_heartbeat_failures_total");
    waitFor(
        b,
        "heartbeat refused",
        () -> b.metric("debvisor_agent_heartbeat_failures_total") > failuresAtRevoke);
    ManagedChannel asB =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .sslContext(
                clientContext(ca, b.pkiDir.resolve("node.pem"), b.pkiDir.resolve("node.key")))
            .build();
    channels.add(asB);
    assertThatThrownBy(
            () ->
                ControllerGrpc.newBlockingStub(asB)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));

    // Controller down: the agents keep answering on loopback; after a restart reports resume.
    long seenBeforeStop = node("node-a").getLastSeen().getSeconds();
    controller.close();
    controller = null;
    double failuresWhileDown = a.metric("debvisor_agent_heartbeat_failures_total");
    waitFor(
        a,
        "heartbeat failing while the controller is down",
        () -> a.metric("debvisor_agent_heartbeat_failures_total") > failuresWhileDown);
    for (AgentProcess agent : List.of(a, b)) {
      ManagedChannel plain =
          NettyChannelBuilder.forAddress("127.0.0.1", agent.plainPort).usePlaintext().build();
      channels.add(plain);
      assertThat(
              NodeGrpc.newBlockingStub(plain)
                  .withDeadlineAfter(30, TimeUnit.SECONDS)
                  .status(StatusRequest.getDefaultInstance())
                  .getNode()
                  .getNodeId())
          .isEqualTo(agent.nodeId);
    }
    controller = ServedController.start(state, port);
    waitFor(
        a,
        "heartbeats after the restart",
        () -> node("node-a").getLastSeen().getSeconds() > seenBeforeStop + 1);
    assertThat(node("node-b").getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_REVOKED);

    // The audit chain holds and tells the story.
    assertThat(run("audit", "verify")).as(out + err).isZero();
    assertThat(auditRows())
        .contains(
            "token.create ok",
            "node.register node-a ok",
            "node.register node-b ok",
            "node.register node-c refused",
            "node.revoke node-b ok");
  }

  private AgentProcess agent(String id, String token, String advertiseHost) throws Exception {
    AgentProcess a =
        AgentProcess.start(
            id,
            dir.resolve(id),
            env.get("DEBVISOR_CONTROLLER"),
            Path.of(env.get("DEBVISOR_STATE_DIR"), "pki/ca.pem"),
            token,
            advertiseHost);
    agents.add(a);
    return a;
  }

  private String createToken() {
    assertThat(run("token", "create", "--ttl", "10m")).as(err).isZero();
    return out.strip();
  }

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine cli = DebvisorCli.create(null, env);
    cli.setOut(new PrintWriter(o, true));
    cli.setErr(new PrintWriter(e, true));
    int code = cli.execute(args);
    out = o.toString();
    err = e.toString();
    return code;
  }

  private List<NodeRecord> nodes() {
    assertThat(run("nodes", "list", "-o", "json")).as(err).isZero();
    ListNodesResponse.Builder parsed = ListNodesResponse.newBuilder();
    try {
      JsonFormat.parser().merge(out, parsed);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("nodes list -o json printed no ListNodesResponse: " + out, e);
    }
    return parsed.getNodesList().stream()
        .sorted(java.util.Comparator.comparing(NodeRecord::getNodeId))
        .toList();
  }

  private NodeRecord node(String id) {
    return nodes().stream().filter(n -> n.getNodeId().equals(id)).findFirst().orElseThrow();
  }

  private List<String> auditRows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c =
            Database.readOnlyConnection(Path.of(env.get("DEBVISOR_STATE_DIR"), "controller.db"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT action, target, result FROM audit_log ORDER BY seq")) {
      while (r.next()) {
        String target = r.getString(2);
        rows.add(
            r.getString(1)
                + (r.getString(1).equals("token.create") ? "" : " " + target)
                + " "
                + r.getString(3));
      }
    }
    return rows;
  }

  private io.netty.handler.ssl.SslContext clientContext(Path ca, Path cert, Path key)
      throws Exception {
    return GrpcSslContexts.configure(
            SslContextBuilder.forClient()
                .trustManager(ca.toFile())
                .keyManager(cert.toFile(), key.toFile()))
        .build();
  }

  private ManagedChannel tls(AgentProcess agent, io.netty.handler.ssl.SslContext context) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(agent.advertiseHost, agent.tlsPort)
            .sslContext(context)
            .build();
    channels.add(channel);
    return channel;
  }

  private static void assertRefused(ManagedChannel channel) {
    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  /** Polls {@code condition} every 100 ms for at most WAIT_SECONDS. */
  private static void waitFor(AgentProcess agent, String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || (agent != null && !agent.alive())) {
        throw new AssertionError(
            "not "
                + what
                + " within "
                + WAIT_SECONDS
                + " s"
                + (agent == null ? "" : "; agent " + agent.nodeId + " log:\n" + agent.log()));
      }
      Thread.sleep(100);
    }
  }
}
