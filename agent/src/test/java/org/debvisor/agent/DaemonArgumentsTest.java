package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DaemonArgumentsTest {

  @Test
  void noArgumentsStartTheDaemonWithThePackagedConfig() {
    assertThat(DaemonArguments.configFile(new String[0]))
        .contains(Path.of("/etc/debvisor/agent.yaml"));
  }

  @Test
  void aConfigFileInAnyOfItsSpellingsStartsTheDaemon() {
    assertThat(DaemonArguments.configFile(new String[] {"--config", "/a.yaml"}))
        .contains(Path.of("/a.yaml"));
    assertThat(DaemonArguments.configFile(new String[] {"-c", "/b.yaml"}))
        .contains(Path.of("/b.yaml"));
    assertThat(DaemonArguments.configFile(new String[] {"--config=/c.yaml"}))
        .contains(Path.of("/c.yaml"));
  }

  @Test
  void everythingElseIsLeftToPicocli() {
    String[][] others = {
      {"--check-config"},
      {"--config", "/a.yaml", "--check-config"},
      {"--help"},
      {"--version"},
      {"status"},
      {"--config"},
      {"--config", "--help"},
      {"--config", "@args.txt"},
      {"--config="},
      {"-c", ""},
      {"--frobnicate"},
    };
    for (String[] args : others) {
      assertThat(DaemonArguments.configFile(args)).as(String.join(" ", args)).isEmpty();
    }
  }
}
