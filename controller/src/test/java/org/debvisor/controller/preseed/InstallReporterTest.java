package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.NodeInstall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install progress reports in a rendered preseed: early and late commands carry the
 * controller's progress URL and the token, are valid sh ({@code sh -n}), and a report never fails
 * or stalls the install when no controller answers (run for real against a closed port).
 */
class InstallReporterTest {

  private static final String URL = "https://controller.example.org:8443/api/v1/install/progress";

  @TempDir Path dir;

  private static String rendered() throws Exception {
    return PreseedGoldenTest.render("ceph", Architecture.AMD64);
  }

  @Test
  void earlyAndLateCommandsCarryTheUrlAndAreValidShell() throws Exception {
    PreseedParseResult parsed = new PreseedParser().parse(rendered());
    NodeInstall node = TestData.exampleNode();
    for (String question :
        List.of("preseed/early_command", "partman/early_command", "preseed/late_command")) {
      String command = parsed.diValue(question);
      assertThat(command).as(question).contains(URL, node.agent().token());
      assertThat(syntaxCheck(command)).as(question + " under sh -n").isEmpty();
    }
    assertThat(parsed.diValue("preseed/early_command")).contains(" started ");
    assertThat(parsed.diValue("partman/early_command")).contains(" partitioning ");
    String late = parsed.diValue("preseed/late_command");
    assertThat(late).contains(" configuring ", " finished ", " failed ");
    // The agent's own steps run between the first report and the last.
    assertThat(late.indexOf("debvisor-agent")).isGreaterThan(late.indexOf(" configuring "));
    assertThat(late.indexOf("debvisor-agent")).isLessThan(late.indexOf(" finished "));
  }

  @Test
  void aReportToAnUnreachableControllerExitsZeroQuickly() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "not a certificate\n");
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    InstallReporter reporter =
        new InstallReporter(
            "https://127.0.0.1:1/api/v1/install/progress",
            ca.toString(),
            "dvb_0123456789abcdef_secret",
            "ceph-1",
            "amd64");
    Process sh =
        new ProcessBuilder(
                "/bin/sh", "-c", reporter.command("failed", "disk \"sda\" gone; $(reboot) `id` \\"))
            .redirectErrorStream(true)
            .start();
    sh.getInputStream().readAllBytes();
    assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).isZero();
  }

  @Test
  void theLateCommandReportsFailureAndStillFails() throws Exception {
    InstallReporter reporter =
        new InstallReporter(
            "https://127.0.0.1:1/x", dir.resolve("none.pem").toString(), "t", "h", "amd64");
    Path marker = dir.resolve("ran");
    String late = reporter.around("false && touch " + marker);
    Process sh = new ProcessBuilder("/bin/sh", "-c", late).redirectErrorStream(true).start();
    sh.getInputStream().readAllBytes();
    assertThat(sh.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).isNotZero();
    assertThat(marker).doesNotExist();
  }

  /** What {@code sh -n} says about the command (empty: valid). */
  private String syntaxCheck(String command) throws IOException, InterruptedException {
    Path script = dir.resolve("command.sh");
    Files.writeString(script, command + "\n", StandardCharsets.UTF_8);
    Process sh =
        new ProcessBuilder("/bin/sh", "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return sh.exitValue() == 0 ? out : "exit " + sh.exitValue() + ": " + out;
  }
}
