package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.agentapi.bundle.AccountLookup.Kind;
import org.junit.jupiter.api.Test;

/** Against this machine's real account database: root exists everywhere, the odd name nowhere. */
class NodeAccountsTest {

  private final NodeAccounts accounts = new NodeAccounts();

  @Test
  void rootExistsAsUserAndGroup() throws Exception {
    assertThat(accounts.exists(Kind.USER, "root")).isTrue();
    assertThat(accounts.exists(Kind.GROUP, "root")).isTrue();
  }

  @Test
  void unknownNamesDoNotExist() throws Exception {
    assertThat(accounts.exists(Kind.USER, "no-such-user-xyz")).isFalse();
    assertThat(accounts.exists(Kind.GROUP, "no-such-group-xyz")).isFalse();
  }
}
