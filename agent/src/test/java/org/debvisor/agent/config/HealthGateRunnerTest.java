package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.Test;

class HealthGateRunnerTest {

  private final StatusBoard board =
      new StatusBoard(
          NodeIdentity.getDefaultInstance(), List.of(Subsystem.SUBSYSTEM_CEPH), Clock.systemUTC());
  private final ConfigSettings settings =
      new ConfigSettings(
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          List.of("sh", "-c", "test {unit} = good.service"),
          Map.of("ok", List.of("true"), "broken", List.of("sh", "-c", "echo mon down; exit 3")));
  private final HealthGateRunner gate = new HealthGateRunner(board, settings, new ProcessRunner());

  private void ceph(HealthState state) {
    board.publish(
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
            .setState(state)
            .setMessage("ceph " + state)
            .build());
  }

  private static HealthGate gate(long windowMillis, GateCheck... checks) {
    return HealthGate.newBuilder()
        .setWindow(
            com.google.protobuf.Duration.newBuilder().setNanos((int) (windowMillis * 1_000_000)))
        .addAllChecks(List.of(checks))
        .build();
  }

  @Test
  void passingChecksPassForTheWholeWindow() throws Exception {
    ceph(HealthState.HEALTH_OK);
    NodeStatus before = board.current();
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var result =
          gate.run(
              gate(
                  300,
                  GateCheck.newBuilder().setSubsystemNotWorse(Subsystem.SUBSYSTEM_CEPH).build(),
                  GateCheck.newBuilder().setCommand("ok").build(),
                  GateCheck.newBuilder().setUnitActive("good.service").build(),
                  GateCheck.newBuilder().setTcpConnect("127.0.0.1:" + open.getLocalPort()).build()),
              before);

      assertThat(result).isEmpty();
    }
  }

  @Test
  void subsystemGettingWorseFailsTheGateNamingTheChange() throws Exception {
    ceph(HealthState.HEALTH_OK);
    NodeStatus before = board.current();
    ceph(HealthState.HEALTH_WARN);

    var result =
        gate.run(
            gate(0, GateCheck.newBuilder().setSubsystemNotWorse(Subsystem.SUBSYSTEM_CEPH).build()),
            before);

    assertThat(result).contains("ceph got worse: OK -> WARN (ceph HEALTH_WARN)");
  }

  @Test
  void failingCommandUnitAndPortAreReportedWithTheirOutput() throws Exception {
    NodeStatus before = board.current();

    assertThat(gate.run(gate(0, GateCheck.newBuilder().setCommand("broken").build()), before))
        .contains("gate command 'broken' failed: exit 3: mon down");
    assertThat(
            gate.run(gate(0, GateCheck.newBuilder().setUnitActive("bad.service").build()), before))
        .hasValueSatisfying(
            r -> assertThat(r).startsWith("unit bad.service is not active: exit 1"));
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThat(
            gate.run(
                gate(0, GateCheck.newBuilder().setTcpConnect("127.0.0.1:" + closed).build()),
                before))
        .hasValueSatisfying(r -> assertThat(r).startsWith("cannot connect to 127.0.0.1:" + closed));
  }

  @Test
  void aCheckThatStartsFailingInsideTheWindowFailsTheGate() throws Exception {
    ceph(HealthState.HEALTH_OK);
    NodeStatus before = board.current();
    Thread later =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                return;
              }
              ceph(HealthState.HEALTH_ERROR);
            });
    later.start();

    var result =
        gate.run(
            gate(
                5000,
                GateCheck.newBuilder().setSubsystemNotWorse(Subsystem.SUBSYSTEM_CEPH).build()),
            before);
    later.join();

    assertThat(result).hasValueSatisfying(r -> assertThat(r).contains("OK -> ERROR"));
  }

  @Test
  void validationNamesEachBadCheck() {
    HealthGate bad =
        HealthGate.newBuilder()
            .setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
            .addChecks(GateCheck.newBuilder().setCommand("rm-rf"))
            .addChecks(GateCheck.newBuilder().setUnitActive("x; reboot"))
            .addChecks(GateCheck.newBuilder().setTcpConnect("nowhere"))
            .addChecks(GateCheck.newBuilder().setSubsystemNotWorse(Subsystem.SUBSYSTEM_UNSPECIFIED))
            .addChecks(GateCheck.getDefaultInstance())
            .build();

    assertThat(gate.validate(bad))
        .extracting(Violation::field)
        .containsExactly(
            "bundle.gate.window",
            "bundle.gate.checks[0].command",
            "bundle.gate.checks[1].unit_active",
            "bundle.gate.checks[2].tcp_connect",
            "bundle.gate.checks[3].subsystem_not_worse",
            "bundle.gate.checks[4]");
    assertThat(gate.validate(bad).get(1).rule()).contains("[broken, ok]");
  }
}
