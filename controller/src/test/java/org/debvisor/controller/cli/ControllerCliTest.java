package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands run in process against a served controller, output captured. */
class ControllerCliTest {

  @TempDir Path state;

  private ServedCli served;
  private RunningController ctl;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    served = ServedCli.start(state);
    ctl = served.ctl;
    env = served.env;
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private int run(String... args) {
    return served.run(args);
  }

  private void enrol(String id, String hostname, String arch, int disks) throws Exception {
    assertThat(run("token", "create", "--ttl", "1h", "--host", hostname)).as(served.err()).isZero();
    String token = served.out().strip();
    assertThat(token).startsWith("dvb_");
    assertThat(served.err()).contains("only for host " + hostname).contains("shown once");
    TestNode node = new TestNode(id, hostname);
    try (var anon = ctl.anonymous()) {
      anon.controller(120)
          .registerNode(node.request(token).setFacts(TestNode.facts(arch, disks)).build());
    }
  }

  @Test
  void tokenNodesShowRevokeAndAuditEndToEnd() throws Exception {
    enrol("id-arm", "arm-1", "arm64", 6);
    enrol("id-amd", "amd-1", "amd64", 2);

    assertThat(run("nodes", "list")).as(served.err()).isZero();
    assertThat(served.out().lines().toList())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("ID")
        .contains("HOSTNAME");
    assertThat(served.out()).contains("arm-1").contains("amd-1").contains("active");

    assertThat(run("nodes", "list", "--selector", "disks.count>=4,arch=arm64", "-o", "json"))
        .as(served.err())
        .isZero();
    ListNodesResponse.Builder parsed = ListNodesResponse.newBuilder();
    JsonFormat.parser().merge(served.out(), parsed);
    assertThat(parsed.getNodesList()).extracting(NodeRecord::getHostname).containsExactly("arm-1");

    assertThat(run("nodes", "show", "arm-1")).as(served.err()).isZero();
    assertThat(served.out())
        .contains("id:            id-arm")
        .contains("disks:       6")
        .contains("cpu:         Test CPU, 8 cores / 16 threads")
        .contains("memory:      64.0 GiB");

    assertThat(run("node", "revoke", "amd-1", "--reason", "decommissioned"))
        .as(served.err())
        .isZero();
    assertThat(served.out()).contains("revoked node id-amd");
    assertThat(run("nodes", "show", "id-amd", "-o", "json")).isZero();
    assertThat(served.out()).contains("\"enrolment\": \"ENROLMENT_REVOKED\"");

    assertThat(run("audit", "verify")).as(served.err()).isZero();
    assertThat(served.out()).contains("audit log intact: 5 entries");
  }

  @Test
  void badSelectorExitsTwoNamingTheTerm() {
    assertThat(run("nodes", "list", "--selector", "arch=arm64,cores>2")).isEqualTo(2);
    assertThat(served.err()).contains("INVALID_ARGUMENT").contains("selector").contains("'cores'");
  }

  @Test
  void badTtlIsRefusedBeforeAnyCall() {
    assertThat(run("token", "create", "--ttl", "forever")).isEqualTo(2);
    assertThat(served.err()).contains("--ttl");
    assertThat(run("token", "create", "--ttl", "31d")).isEqualTo(2);
    assertThat(served.err()).contains("ttl: must be between 1 minute and 30 days");
  }

  @Test
  void wrongTokenAndUnreachableControllerSayWhatToDo() throws Exception {
    Path wrong = state.resolve("wrong-token");
    Files.writeString(wrong, "dvo_wrong");
    assertThat(run("nodes", "list", "--token-file", wrong.toString())).isEqualTo(1);
    assertThat(served.err()).contains("UNAUTHENTICATED").contains("operator token is wrong");

    env.put("DEBVISOR_TOKEN", "dvo_also_wrong");
    assertThat(run("nodes", "list")).isEqualTo(1);
    assertThat(served.err()).contains("UNAUTHENTICATED");
    env.remove("DEBVISOR_TOKEN");

    assertThat(run("nodes", "list", "--controller", "127.0.0.1:1", "--timeout", "5")).isEqualTo(1);
    assertThat(served.err()).contains("unreachable").contains("--controller");

    assertThat(run("nodes", "list", "--ca-file", state.resolve("missing.pem").toString()))
        .isEqualTo(1);
    assertThat(served.err()).contains("missing.pem").contains("--ca-file");
  }

  @Test
  void auditVerifyNamesTheTamperedEntry() throws Exception {
    enrol("id-x", "x-1", "amd64", 1);
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + state.resolve("controller.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER audit_log_no_update");
      s.executeUpdate("UPDATE audit_log SET result = 'ok-ish' WHERE seq = 2");
    }

    assertThat(run("audit", "verify", "--state-dir", state.toString())).isEqualTo(1);
    assertThat(served.err()).contains("BROKEN at entry 2");
  }

  @Test
  void serveStartsOnTheGivenAddressAndStopsWhenInterrupted() throws Exception {
    Path other = state.resolve("other");
    int[] code = {-1};
    Thread serve =
        new Thread(
            () ->
                code[0] =
                    run(
                        "controller",
                        "serve",
                        "--state-dir",
                        other.toString(),
                        "--listen",
                        "127.0.0.1:0",
                        "--rest-listen",
                        "off",
                        "--server-name",
                        "ctl.test",
                        "--metrics-listen",
                        "127.0.0.1:0"));
    serve.start();
    // Bounded wait for the first start (CA creation) to print its address.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(other.resolve("pki/server.pem"))
        || !served.out().contains("listening on")) {
      assertThat(System.nanoTime()).as("serve did not start: " + served.err()).isLessThan(deadline);
      assertThat(serve.isAlive()).as("serve exited: " + served.err()).isTrue();
      Thread.sleep(50);
    }
    serve.interrupt();
    serve.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(serve.isAlive()).isFalse();
    assertThat(code[0]).isZero();
    assertThat(served.out())
        .contains("operator token:  " + other.resolve("operator-token"))
        .containsPattern("metrics: +http://127\\.0\\.0\\.1:\\d+/metrics");
    assertThat(Files.exists(other.resolve("pki/ca.key"))).isTrue();
    assertThat(Files.exists(other.resolve("controller.db"))).isTrue();
  }

  @Test
  void serveRefusesABadListenAddress() {
    assertThat(run("controller", "serve", "--state-dir", state.toString(), "--listen", "5443"))
        .isEqualTo(2);
    assertThat(served.err()).contains("--listen").contains("HOST:PORT");

    // In the same test: each one starts a controller.
    Path fresh = state.resolve("never-made");
    for (String timeout : new String[] {"2h", "500s0", "1d"}) {
      assertThat(
              run(
                  "controller",
                  "serve",
                  "--state-dir",
                  fresh.toString(),
                  "--database-timeout",
                  timeout))
          .as(timeout)
          .isEqualTo(2);
      assertThat(served.err()).as(timeout).contains("--database-timeout");
    }
    assertThat(
            run("controller", "serve", "--state-dir", fresh.toString(), "--database-timeout", "2h"))
        .isEqualTo(2);
    assertThat(served.err())
        .contains("out of range; use whole seconds from 1s to 1h (default 30s)");
    assertThat(fresh).as("nothing made before the options were checked").doesNotExist();
  }

  @Test
  void aPortInUseNamesTheListenerAndTheOptionAndReleasesTheOtherPorts() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket freeNow = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int grpcPort = freeNow.getLocalPort();
      freeNow.close();
      String rest = "127.0.0.1:" + taken.getLocalPort();

      int code =
          run(
              "controller",
              "serve",
              "--state-dir",
              state.resolve("busy").toString(),
              "--listen",
              "127.0.0.1:" + grpcPort,
              "--rest-listen",
              rest);

      assertThat(code).isEqualTo(1);
      assertThat(served.err())
          .contains("cannot serve the HTTPS API on " + rest + ": Address already in use")
          .contains("choose another port with --rest-listen (or off)")
          .doesNotContain("NativeIoException");
      // The gRPC listener that did bind was closed again: its port is free.
      try (ServerSocket again = new ServerSocket(grpcPort, 1, InetAddress.getLoopbackAddress())) {
        assertThat(again.getLocalPort()).isEqualTo(grpcPort);
      }
    }
  }

  @Test
  void bashCompletionKnowsTheNewCommands() {
    assertThat(run("generate-completion")).isZero();
    assertThat(served.out()).contains("nodes").contains("revoke").contains("--selector");
  }
}
