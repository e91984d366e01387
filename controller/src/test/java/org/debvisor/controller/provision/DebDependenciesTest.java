package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DebDependenciesTest {

  @Test
  void splitsGroupsAndDropsVersionsAndArchQualifiers() {
    assertThat(
            DebDependencies.groups(
                "openjdk-21-jre-headless | java21-runtime-headless, libc6 (>= 2.36), python3:any"))
        .containsExactly(
            List.of("openjdk-21-jre-headless", "java21-runtime-headless"),
            List.of("libc6"),
            List.of("python3"));
    assertThat(DebDependencies.groups("")).isEmpty();
    assertThat(DebDependencies.groups(null)).isEmpty();
  }

  @Test
  void aGroupIsSatisfiedByAnyAlternativeElseItsFirstIsMissing() {
    var groups = DebDependencies.groups("a | b, c, d | e");
    assertThat(DebDependencies.missing(groups, Set.of("b", "c"))).containsExactly("d");
    assertThat(DebDependencies.missing(groups, Set.of())).containsExactly("a", "c", "d");
    assertThat(DebDependencies.missing(groups, Set.of("a", "c", "e"))).isEmpty();
    assertThat(DebDependencies.names(groups)).containsExactly("a", "b", "c", "d", "e");
  }
}
