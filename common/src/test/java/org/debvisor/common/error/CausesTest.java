package org.debvisor.common.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CausesTest {

  @Test
  void theInnermostMessageIsShownWithoutTheWrappers() {
    Throwable failure =
        new CompletionException(
            new UncheckedIOException("io exception", new ConnectException("Connection refused")));
    assertThat(Causes.rootMessage(failure)).isEqualTo("Connection refused");
    assertThat(Causes.root(failure)).isInstanceOf(ConnectException.class);
  }

  @Test
  void aFailureWithoutCauseIsItsOwnRoot() {
    IOException alone = new IOException("disk full");
    assertThat(Causes.root(alone)).isSameAs(alone);
    assertThat(Causes.rootMessage(alone)).isEqualTo("disk full");
    assertThat(Causes.chain(alone)).containsExactly(alone);
  }

  @Test
  void aRootWithoutMessageIsNamedByItsClass() {
    assertThat(Causes.rootMessage(new RuntimeException("wrapper", new ConnectException())))
        .isEqualTo("ConnectException");
    assertThat(Causes.rootMessage(new IOException("   "))).isEqualTo("IOException");
  }

  @Test
  void aLoopInTheCauseChainEndsAtItsLastNewLink() {
    IOException outer = new IOException("outer");
    SQLException inner = new SQLException("inner");
    outer.initCause(inner);
    inner.initCause(outer);
    assertThat(Causes.chain(outer)).containsExactly(outer, inner);
    assertThat(Causes.root(outer)).isSameAs(inner);
    assertThat(Causes.rootMessage(outer)).isEqualTo("inner");
  }

  @Test
  void aVeryDeepChainIsCutAtTheBound() {
    Throwable deep = new IOException("deepest");
    for (int i = 0; i < Causes.MAX_DEPTH * 2; i++) {
      deep = new RuntimeException("layer " + i, deep);
    }
    assertThat(Causes.chain(deep)).hasSize(Causes.MAX_DEPTH);
    assertThat(Causes.rootMessage(deep)).startsWith("layer ");
  }

  @Test
  void suppressedExceptionsAreNotFollowed() {
    IOException root = new IOException("Connection reset");
    RuntimeException failure = new RuntimeException("call failed", root);
    failure.addSuppressed(new IllegalStateException("close failed too"));
    root.addSuppressed(new IllegalStateException("cleanup failed"));
    assertThat(Causes.rootMessage(failure)).isEqualTo("Connection reset");
    assertThat(Causes.chain(failure)).containsExactly(failure, root);
  }

  @Test
  void findReturnsTheOutermostOfATypeOrNothing() {
    SQLException inner = new SQLException("busy");
    SQLException outer = new SQLException("migration failed", inner);
    RuntimeException failure = new RuntimeException(outer);
    assertThat(Causes.find(failure, SQLException.class)).containsSame(outer);
    assertThat(Causes.find(failure, ConnectException.class)).isEmpty();
    assertThat(Causes.find(null, SQLException.class)).isEmpty();
  }

  @Test
  void noFailureHasNoChainAndNoRoot() {
    assertThat(Causes.chain(null)).isEmpty();
    assertThatThrownBy(() -> Causes.rootMessage(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no failure");
  }
}
