package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreflightStepTest {

  private static Map<String, String> trixie() {
    return new HashMap<>(
        PreflightStep.parse(
            "id=debian\nversion=13\ncodename=trixie\narch=arm64\nfree=5242880\nuid=1000\nsudo=yes\n"
                + "sshaddr=10.0.0.5\nsystemd=no\n"));
  }

  @Test
  void acceptsDebian13WithSudoAndReportsFacts() throws Exception {
    NodeFacts f = PreflightStep.check(trixie());
    assertThat(f)
        .isEqualTo(
            new NodeFacts("debian", "13", "trixie", "arm64", 5L << 30, false, false, "10.0.0.5"));
    assertThat(PreflightStep.describe(f))
        .contains("Debian 13 (trixie) arm64", "5.0 GiB free", "sudo", "start-stop-daemon");
  }

  @Test
  void refusesOtherReleasesNamingTheRule() {
    Map<String, String> v = trixie();
    v.put("version", "12");
    v.put("codename", "bookworm");
    assertThatThrownBy(() -> PreflightStep.check(v))
        .isInstanceOf(StepFailedException.class)
        .hasMessageContaining("debian 12 (bookworm)")
        .hasMessageContaining("Debian 13 (trixie)");
  }

  @Test
  void refusesUnsupportedArchitectureSmallDiskAndNoSudo() {
    Map<String, String> arch = trixie();
    arch.put("arch", "i386");
    assertThatThrownBy(() -> PreflightStep.check(arch))
        .hasMessageContaining("'i386' is not supported");

    Map<String, String> disk = trixie();
    disk.put("free", "1024");
    assertThatThrownBy(() -> PreflightStep.check(disk))
        .hasMessageContaining("free under /var")
        .hasMessageContaining("at least 1.0 GiB");

    Map<String, String> nosudo = trixie();
    nosudo.put("sudo", "no");
    assertThatThrownBy(() -> PreflightStep.check(nosudo))
        .hasMessageContaining("sudo -n true failed");

    Map<String, String> root = trixie();
    root.put("uid", "0");
    root.remove("sudo");
    assertThat(catchFacts(root).root()).isTrue();
  }

  private static NodeFacts catchFacts(Map<String, String> v) {
    try {
      return PreflightStep.check(v);
    } catch (StepFailedException e) {
      throw new AssertionError(e);
    }
  }
}
