package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
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
import picocli.CommandLine;

/** The operator commands run in process against a served controller, output captured. */
class ControllerCliTest {

  @TempDir Path state;

  private RunningController ctl;
  private final Map<String, String> env = new HashMap<>();
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void start() throws Exception {
    ctl = RunningController.start(state);
    env.put("DEBVISOR_STATE_DIR", state.toString());
    env.put("DEBVISOR_CONTROLLER", ctl.target());
  }

  @AfterEach
  void stop() {
    ctl.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = DebvisorCli.create(null, env);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private void enrol(String id, String hostname, String arch, int disks) throws Exception {
    assertThat(run("token", "create", "--ttl", "1h", "--host", hostname))
        .as(err.toString())
        .isZero();
    String token = out.toString().strip();
    assertThat(token).startsWith("dvb_");
    assertThat(err.toString()).contains("only for host " + hostname).contains("shown once");
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

    assertThat(run("nodes", "list")).as(err.toString()).isZero();
    assertThat(out.toString().lines().toList())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("ID")
        .contains("HOSTNAME");
    assertThat(out.toString()).contains("arm-1").contains("amd-1").contains("active");

    assertThat(run("nodes", "list", "--selector", "disks.count>=4,arch=arm64", "-o", "json"))
        .as(err.toString())
        .isZero();
    ListNodesResponse.Builder parsed = ListNodesResponse.newBuilder();
    JsonFormat.parser().merge(out.toString(), parsed);
    assertThat(parsed.getNodesList()).extracting(NodeRecord::getHostname).containsExactly("arm-1");

    assertThat(run("nodes", "show", "arm-1")).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("id:            id-arm")
        .contains("disks:       6")
        .contains("cpu:         Test CPU, 8 cores / 16 threads")
        .contains("memory:      64.0 GiB");

    assertThat(run("node", "revoke", "amd-1", "--reason", "decommissioned"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("revoked node id-amd");
    assertThat(run("nodes", "show", "id-amd", "-o", "json")).isZero();
    assertThat(out.toString()).contains("\"enrolment\": \"ENROLMENT_REVOKED\"");

    assertThat(run("audit", "verify")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("audit log intact: 5 entries");
  }

  @Test
  void badSelectorExitsTwoNamingTheTerm() {
    assertThat(run("nodes", "list", "--selector", "arch=arm64,cores>2")).isEqualTo(2);
    assertThat(err.toString())
        .contains("INVALID_ARGUMENT")
        .contains("selector")
        .contains("'cores'");
  }

  @Test
  void badTtlIsRefusedBeforeAnyCall() {
    assertThat(run("token", "create", "--ttl", "forever")).isEqualTo(2);
    assertThat(err.toString()).contains("--ttl");
    assertThat(run("token", "create", "--ttl", "31d")).isEqualTo(2);
    assertThat(err.toString()).contains("ttl: must be between 1 minute and 30 days");
  }

  @Test
  void wrongTokenAndUnreachableControllerSayWhatToDo() throws Exception {
    Path wrong = state.resolve("wrong-token");
    Files.writeString(wrong, "dvo_wrong");
    assertThat(run("nodes", "list", "--token-file", wrong.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("UNAUTHENTICATED").contains("operator token is wrong");

    env.put("DEBVISOR_TOKEN", "dvo_also_wrong");
    assertThat(run("nodes", "list")).isEqualTo(1);
    assertThat(err.toString()).contains("UNAUTHENTICATED");
    env.remove("DEBVISOR_TOKEN");

    assertThat(run("nodes", "list", "--controller", "127.0.0.1:1", "--timeout", "5")).isEqualTo(1);
    assertThat(err.toString()).contains("unreachable").contains("--controller");

    assertThat(run("nodes", "list", "--ca-file", state.resolve("missing.pem").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("missing.pem").contains("--ca-file");
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
    assertThat(err.toString()).contains("BROKEN at entry 2");
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
                        "--server-name",
                        "ctl.test",
                        "--metrics-listen",
                        "127.0.0.1:0"));
    serve.start();
    // Bounded wait for the first start (CA creation) to print its address.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(other.resolve("pki/server.pem"))
        || out == null
        || !out.toString().contains("listening on")) {
      assertThat(System.nanoTime()).as("serve did not start: " + err).isLessThan(deadline);
      assertThat(serve.isAlive()).as("serve exited: " + err).isTrue();
      Thread.sleep(50);
    }
    serve.interrupt();
    serve.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(serve.isAlive()).isFalse();
    assertThat(code[0]).isZero();
    assertThat(out.toString())
        .contains("operator token:  " + other.resolve("operator-token"))
        .containsPattern("metrics: +http://127\\.0\\.0\\.1:\\d+/metrics");
    assertThat(Files.exists(other.resolve("pki/ca.key"))).isTrue();
    assertThat(Files.exists(other.resolve("controller.db"))).isTrue();
  }

  @Test
  void serveRefusesABadListenAddress() {
    assertThat(run("controller", "serve", "--state-dir", state.toString(), "--listen", "5443"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--listen").contains("HOST:PORT");
  }

  @Test
  void bashCompletionKnowsTheNewCommands() {
    assertThat(run("generate-completion")).isZero();
    assertThat(out.toString()).contains("nodes").contains("revoke").contains("--selector");
  }
}
