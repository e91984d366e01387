package org.debvisor.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.debvisor.agent.Agent;
import org.debvisor.agent.testing.SwitchableCollector;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusCommandTest {

  private static final SwitchableCollector kubernetes = new SwitchableCollector();
  private static Agent agent;
  private static String target;

  @BeforeAll
  static void start() throws Exception {
    agent = TestAgents.start(TestAgents.loopbackSettings(4096), List.of(kubernetes));
    target = "127.0.0.1:" + agent.grpcAddresses().get(0).getPort();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!agent.board().allCollectedOnce() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new StatusCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  @Test
  void printsATextReport() {
    Run run = run("--target", target);

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("test-node", "kubernetes", "OK", "ready");
  }

  @Test
  void jsonIsTheProto3MappingOfTheReport() throws Exception {
    Run run = run("--target", target, "--output", "json");
    NodeStatus.Builder parsed = NodeStatus.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);

    assertThat(run.exit()).isZero();
    assertThat(parsed.getNode().getNodeId()).isEqualTo("test-node");
    assertThat(parsed.getSubsystemsCount()).isEqualTo(1);
  }

  @Test
  void checkExitsWithTheNodeState() throws Exception {
    kubernetes.set(HealthState.HEALTH_WARN, "DiskPressure");
    try {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (agent.board().current().getState() != HealthState.HEALTH_WARN
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(run("--target", target, "--check").exit()).isEqualTo(1);
    } finally {
      kubernetes.set(HealthState.HEALTH_OK, "ready");
    }
  }

  @Test
  void unreachableAgentExitsFourWithAHint() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run run = run("--target", "127.0.0.1:" + closedPort, "--timeout", "2");

    assertThat(run.exit()).isEqualTo(StatusCommand.EXIT_UNREACHABLE);
    assertThat(run.err())
        .contains("cannot get the status", "UNAVAILABLE", "is debvisor-agent running?");
  }

  @Test
  void badArgumentsAreNamed() {
    assertThat(run("--output", "yaml").err()).contains("--output must be text or json");
    assertThat(run("--target", "nohostport").err()).contains("--target", "not host:port");
  }
}
