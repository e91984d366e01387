package org.debvisor.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshTargetTest {

  @Test
  void parsesUserHostAndPortWithDefaults() {
    assertThat(SshTarget.parse("node1"))
        .isEqualTo(new SshTarget("root", "node1", 22, false, false));
    assertThat(SshTarget.parse("ops@10.0.0.5:2222"))
        .isEqualTo(new SshTarget("ops", "10.0.0.5", 2222));
    assertThat(SshTarget.parse("[fd00::5]:22"))
        .isEqualTo(new SshTarget("root", "fd00::5", 22, false, true));
  }

  @Test
  void printsAndNamesHostsLikeOpenSsh() {
    assertThat(SshTarget.parse("ops@h:2222").toString()).isEqualTo("ops@h:2222");
    assertThat(SshTarget.parse("h").knownHostsName()).isEqualTo("h");
    assertThat(SshTarget.parse("h:2222").knownHostsName()).isEqualTo("[h]:2222");
  }

  @Test
  void refusesMalformedTargetsNamingTheRule() {
    for (String bad : new String[] {"", "root@", "a b", "h:0", "h:70000", "x;rm -rf /", "Root@h"}) {
      assertThatThrownBy(() -> SshTarget.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port");
    }
  }
}
