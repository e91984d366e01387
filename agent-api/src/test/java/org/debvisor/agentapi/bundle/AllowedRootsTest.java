package org.debvisor.agentapi.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexical root check every bundle path passes before the agent looks at the disk. */
class AllowedRootsTest {

  private final AllowedRoots roots =
      new AllowedRoots(List.of(Path.of("/etc/debvisor/../debvisor/managed/"), Path.of("/srv/app")));

  @Test
  void rootsAreKeptNormalisedAndInOrder() {
    assertThat(roots.roots())
        .containsExactly(Path.of("/etc/debvisor/managed"), Path.of("/srv/app"));
    assertThat(roots.describe()).isEqualTo("/etc/debvisor/managed, /srv/app");
  }

  @Test
  void aRelativeRootIsMadeAbsolute() {
    AllowedRoots relative = new AllowedRoots(List.of(Path.of("managed")));
    assertThat(relative.roots()).containsExactly(Path.of("managed").toAbsolutePath());
  }

  @Test
  void aPathStrictlyBelowARootNamesThatRoot() {
    assertThat(roots.rootOf(Path.of("/srv/app/a/b.conf"))).contains(Path.of("/srv/app"));
    assertThat(roots.rootOf(Path.of("/etc/debvisor/managed/x")))
        .contains(Path.of("/etc/debvisor/managed"));
  }

  @Test
  void theRootItselfAndPathsBesideItHaveNoRoot() {
    assertThat(roots.rootOf(Path.of("/srv/app"))).isEmpty();
    // A shared string prefix is not containment: /srv/application is beside /srv/app.
    assertThat(roots.rootOf(Path.of("/srv/application/x"))).isEmpty();
    assertThat(roots.rootOf(Path.of("/srv"))).isEmpty();
    assertThat(roots.rootOf(Path.of("/etc/passwd"))).isEmpty();
  }

  @Test
  void isRootMatchesOnlyAConfiguredRoot() {
    assertThat(roots.isRoot(Path.of("/srv/app"))).isTrue();
    assertThat(roots.isRoot(Path.of("/etc/debvisor/managed"))).isTrue();
    assertThat(roots.isRoot(Path.of("/srv/app/x"))).isFalse();
    assertThat(roots.isRoot(Path.of("/srv"))).isFalse();
  }

  @Test
  void noRootsAcceptNothing() {
    AllowedRoots none = new AllowedRoots(List.of());
    assertThat(none.rootOf(Path.of("/srv/app/x"))).isEmpty();
    assertThat(none.describe()).isEmpty();
  }
}
