package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code debvisor sim} in process against a real controller, with the operator's files. */
class SimCliTest {

  @TempDir Path state;
  private ServedCli served;

  @BeforeEach
  void start() throws Exception {
    served = ServedCli.start(state);
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private List<NodeRecord> nodes() {
    return served.ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
  }

  @Test
  void agentsEnrolWithTokensTheCommandCreatesAndAFinalSummaryIsPrinted() {
    int code =
        served.run(
            "sim",
            "--agents",
            "3",
            "--name-prefix",
            "clisim",
            "--cluster",
            "simc",
            "--duration",
            "1s");

    assertThat(code).as(served.err()).isZero();
    assertThat(served.out())
        .contains("simulating 3 agents clisim-0001..clisim-0003")
        .contains("final: agents 3: serving 3");
    assertThat(nodes())
        .extracting(NodeRecord::getNodeId)
        .containsExactlyInAnyOrder("clisim-0001", "clisim-0002", "clisim-0003");
    assertThat(nodes()).allMatch(n -> n.getCluster().equals("simc"));
    assertThat(nodes()).allMatch(n -> n.getAgentAddress().startsWith("127.0.0.1:"));
  }

  @Test
  void badFaultOptionsAreRefusedBeforeAnyAgentEnrols() {
    int code = served.run("sim", "--agents", "3", "--gate-fail", "150%");

    assertThat(code).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(served.err())
        .contains("--gate-fail: expected a share like 5% or 0.05 (0 to 100 %), got '150%'");
    assertThat(nodes()).isEmpty();

    assertThat(served.run("sim", "--agents", "0")).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(served.err()).contains("--agents must be between 1 and 5000, got 0");
    assertThat(served.run("sim", "--agents", "2", "--apply-delay", "soon"))
        .isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(served.err()).contains("--apply-delay: expected a delay like 200ms");
    assertThat(nodes()).isEmpty();
  }

  @Test
  void aWrongOperatorTokenFailsEveryAgentAndEnrolsNone() throws Exception {
    Path wrong = state.resolve("wrong-token");
    java.nio.file.Files.writeString(wrong, "not-the-operator-token\n");

    int code =
        served.run("sim", "--agents", "2", "--token-file", wrong.toString(), "--duration", "1s");

    assertThat(code).isEqualTo(DebvisorCli.EXIT_FAILURE);
    assertThat(served.err()).contains("2 of 2 agents could not enrol");
    assertThat(served.out()).contains("FAILED").contains("refused a bootstrap token");
    assertThat(served.out()).contains("final: agents 2: serving 0, enrolling 0, dead 0, failed 2");
    assertThat(nodes()).isEmpty();
  }
}
