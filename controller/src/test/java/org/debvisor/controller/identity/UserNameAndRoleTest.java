package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user-name rule at its edges, and the role order. */
class UserNameAndRoleTest {

  private static final String RULE =
      "must be 1-32 characters: a-z or _ first, then a-z, 0-9, '_', '.' or '-'";

  @ParameterizedTest
  @ValueSource(strings = {"a", "_", "alice", "a.b-c_9", "abcdefghijklmnopqrstuvwxyz012345"})
  void validNames(String name) {
    assertThat(UserName.problem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abcdefghijklmnopqrstuvwxyz0123456",
        "9lives",
        "-dash",
        ".dot",
        "Alice",
        "al ice",
        "alice\n",
        "al:ice"
      })
  void invalidNamesNameTheRule(String name) {
    assertThat(UserName.problem(name)).contains(RULE);
  }

  @Test
  void aMissingNameIsRequired() {
    assertThat(UserName.problem(null)).contains("is required");
    assertThat(UserName.problem("")).contains("is required");
  }

  @Test
  void rolesIncludeTheLowerOnesOnly() {
    assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.ADMIN)).isFalse();
    assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
  }

  @Test
  void rolesParseTheirLabelInAnyCase() {
    assertThat(Role.OPERATOR.label()).isEqualTo("operator");
    assertThat(Role.parse("Admin")).contains(Role.ADMIN);
    assertThat(Role.parse("viewer")).contains(Role.VIEWER);
    assertThat(Role.parse("root")).isEmpty();
    assertThat(Role.parse("")).isEmpty();
  }

  @Test
  void anIdentityExceptionCarriesKindFieldAndRule() {
    IdentityException e =
        new IdentityException(IdentityException.Kind.CONFLICT, "name", "user 'a' exists");
    assertThat(e.kind()).isEqualTo(IdentityException.Kind.CONFLICT);
    assertThat(e.field()).isEqualTo("name");
    assertThat(e.rule()).isEqualTo("user 'a' exists");
    assertThat(e).hasMessage("name: user 'a' exists");
  }
}
