package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The enrolment's one-statement read of the token's and the node's rows, on both engines: each row
 * comes back whole and as the repositories read it alone, and a missing one is empty whether or not
 * the other exists.
 */
@ExtendWith(PostgresExtension.class)
class EnrolmentRowsTest {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00.123Z");

  @TempDir Path dir;

  private final EnrolmentRows rows = new EnrolmentRows();
  private final TokenRepository tokens = new TokenRepository();
  private final NodeRepository nodes = new NodeRepository();

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void readsTheTokenAndTheNodeTogetherEachOrNeither(SqlDialect engine, PostgresServer server)
      throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      TokenRow used =
          new TokenRow(
              "tok1",
              "ab".repeat(32),
              T0,
              T0.plusSeconds(900),
              "ceph-1",
              "ceph",
              "lab",
              "operator",
              T0.plusSeconds(5),
              "n1",
              "n1");
      TokenRow fresh =
          new TokenRow(
              "tok2",
              "cd".repeat(32),
              T0,
              T0.plusSeconds(60),
              "",
              "",
              "default",
              "op",
              null,
              "",
              "");
      NodeRow node =
          new NodeRow(
              "n1",
              "ceph-1",
              "ceph",
              "lab",
              "amd64",
              "192.0.2.10:7443",
              "0.2.0",
              NodeState.REVOKED,
              T0,
              T0.plusSeconds(7),
              "01ab",
              T0.plusSeconds(3600),
              new byte[] {1, 2},
              new byte[] {0, (byte) 255},
              "fp1",
              T0.plusSeconds(8),
              "stolen");
      db.write(
          c -> {
            tokens.insert(c, used);
            tokens.insert(c, fresh);
            nodes.upsertEnrolment(c, node);
            return null;
          });

      EnrolmentRows.Found both = db.read(c -> rows.find(c, "tok1", "n1"));
      assertThat(both.token()).contains(used);
      assertThat(both.node()).hasValueSatisfying(n -> assertSameNode(n, node));
      assertThat(both.node().orElseThrow().state()).isEqualTo(NodeState.REVOKED);

      EnrolmentRows.Found tokenOnly = db.read(c -> rows.find(c, "tok2", "n9"));
      assertThat(tokenOnly.token()).contains(fresh);
      assertThat(tokenOnly.node()).isEmpty();

      EnrolmentRows.Found nodeOnly = db.read(c -> rows.find(c, "tok9", "n1"));
      assertThat(nodeOnly.token()).isEmpty();
      assertThat(nodeOnly.node()).hasValueSatisfying(n -> assertSameNode(n, node));

      EnrolmentRows.Found neither = db.read(c -> rows.find(c, "tok9", "n9"));
      assertThat(neither).isEqualTo(new EnrolmentRows.Found(Optional.empty(), Optional.empty()));

      // As the repositories read them one by one.
      Optional<TokenRow> tokenAlone = db.read(c -> tokens.find(c, "tok1"));
      Optional<NodeRow> nodeAlone = db.read(c -> nodes.find(c, "n1"));
      assertThat(tokenAlone).isEqualTo(both.token());
      assertThat(nodeAlone).hasValueSatisfying(n -> assertSameNode(n, both.node().orElseThrow()));
    }
  }

  // NodeRow holds byte arrays, which records compare by identity.
  private static void assertSameNode(NodeRow actual, NodeRow expected) {
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
  }
}
