package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AgentMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void checkConfigAcceptsAValidFile() throws IOException {
    Path config = Files.writeString(dir.resolve("agent.yaml"), "logging:\n  format: text\n");

    Run run = run("--config", config.toString(), "--check-config");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("is valid");
  }

  @Test
  void badConfigExitsTwoNamingFileKeyAndRule() throws IOException {
    Path config = Files.writeString(dir.resolve("agent.yaml"), "grpc:\n  watchHeartbeat: 0s\n");

    Run run = run("--config", config.toString());

    assertThat(run.exit()).isEqualTo(AgentMain.EXIT_BAD_CONFIG);
    assertThat(run.err()).contains(config.toString(), "grpc.watchHeartbeat", "from 1s to 1h");
  }

  @Test
  void checkConfigAcceptsEnrolmentOnANodeAddressWithoutTlsFiles() throws IOException {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pinned CA");
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            "grpc:\n  listen: [\"127.0.0.1:5000\", \"10.0.0.5:5000\"]\n"
                + "controller:\n  address: ctl:5443\n  caFile: "
                + ca
                + "\n");

    Run run = run("--config", config.toString(), "--check-config");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("is valid");
  }

  @Test
  void checkConfigNamesAMissingPinnedControllerCa() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            "controller:\n  address: ctl:5443\n  caFile: " + dir.resolve("missing.pem") + "\n");

    Run run = run("--config", config.toString(), "--check-config");

    assertThat(run.exit()).isEqualTo(AgentMain.EXIT_BAD_CONFIG);
    assertThat(run.err()).contains("controller.caFile", "missing.pem does not exist");
  }

  @Test
  void shortConfigOptionStartsTheDaemonPathAndReportsABadFile() throws IOException {
    Path config = Files.writeString(dir.resolve("agent.yaml"), "grpc:\n  watchHeartbeat: 0s\n");

    Run run = run("-c", config.toString());

    assertThat(run.exit()).isEqualTo(AgentMain.EXIT_BAD_CONFIG);
    assertThat(run.err()).contains(config.toString(), "grpc.watchHeartbeat");
  }

  @Test
  void configOptionWithoutAFileIsLeftToPicocliWhichNamesIt() {
    Run run = run("--config");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter", "--config");
  }

  @Test
  void unknownOptionExitsTwoWithUsage() {
    Run run = run("--frobnicate");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--frobnicate'", "Usage: debvisor-agent");
  }

  /** A real agent process, as systemd would start it, refusing plaintext on a public address. */
  @Test
  void processRefusesNonLoopbackPlaintextAndStartsNothing() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("agent.yaml"),
            "grpc:\n  listen: [\"0.0.0.0:5000\"]\nhttp:\n  listen: \"\"\n");

    Process p = agentProcess("--config", config.toString());

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(AgentMain.EXIT_BAD_CONFIG);
    assertThat(err)
        .contains(config.toString())
        .contains("grpc.listen[0]: 0.0.0.0:5000 is not a loopback address")
        .contains("plaintext is only allowed on loopback");
  }

  @Test
  void processReportsAPortInUseAndExitsOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path config =
          Files.writeString(
              dir.resolve("agent.yaml"),
              "grpc:\n  listen: [\"127.0.0.1:"
                  + taken.getLocalPort()
                  + "\"]\nhttp:\n  listen: \"\"\ncollectors:\n  ceph:\n    enabled: false\n"
                  + "  hypervisor:\n    enabled: false\n  kubernetes:\n    enabled: false\n");

      Process p = agentProcess("--config", config.toString());

      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).isEqualTo(AgentMain.EXIT_START_FAILED);
      assertThat(err)
          .contains("cannot serve gRPC on 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("choose another port with grpc.listen");
    }
  }

  private static Process agentProcess(String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                AgentMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
