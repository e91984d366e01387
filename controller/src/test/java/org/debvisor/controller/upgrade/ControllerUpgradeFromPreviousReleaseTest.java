package org.debvisor.controller.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.LatestSchema;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.pki.BootstrapToken;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListRolloutsRequest;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This build's controller started on the state directory the previous release's controller left (an
 * upgrade of the package: same directory, new code): the database is migrated, and the CA, operator
 * token, nodes, tokens, rollouts and audit chain are the previous release's.
 */
class ControllerUpgradeFromPreviousReleaseTest {

  @TempDir Path dir;

  @Test
  void migratesTheDatabaseAndKeepsCaOperatorTokenNodesRolloutsAndAuditChain() throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    Path state = old.controllerState();
    Path db = state.resolve("controller.db");
    byte[] caKey = Files.readAllBytes(state.resolve("pki/ca.key"));
    byte[] caPem = Files.readAllBytes(state.resolve("pki/ca.pem"));
    String operatorToken = Files.readString(state.resolve("operator-token")).trim();
    assertThat(appliedSchema(db)).as("the fixture's own schema").isEqualTo(old.fact("schema"));
    List<AuditRecord> oldAudit = audit(db);
    assertThat(oldAudit).hasSize(Integer.parseInt(old.fact("audit.rows")));

    try (RunningController ctl = RunningController.start(state)) {
      assertThat(appliedSchema(db)).isEqualTo(LatestSchema.version());
      assertThat(ctl.operatorToken()).isEqualTo(operatorToken);
      assertThat(Files.readAllBytes(state.resolve("pki/ca.key"))).isEqualTo(caKey);
      assertThat(Files.readAllBytes(state.resolve("pki/ca.pem"))).isEqualTo(caPem);

      NodeRecord node =
          ctl.operator()
              .getNodeStatus(
                  GetNodeStatusRequest.newBuilder().setNode(PreviousRelease.NODE_ID).build());
      assertThat(node.getCertificateSerial()).isEqualTo(old.fact("node.serial"));
      assertThat(node.getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_ACTIVE);
      assertThat(node.getAgentVersion()).isEqualTo(old.fact("version"));
      assertThat(ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList())
          .extracting(NodeRecord::getNodeId)
          .containsExactly(PreviousRelease.NODE_ID);
      assertThat(
              ctl.operator()
                  .listRollouts(ListRolloutsRequest.getDefaultInstance())
                  .getRolloutsList())
          .hasSize(Integer.parseInt(old.fact("rollouts")))
          .allSatisfy(r -> assertThat(r.getState()).isEqualTo("SUCCEEDED"));
    }

    // The previous release's chain is untouched, extended by this build's entries, and verifies.
    List<AuditRecord> newAudit = audit(db);
    assertThat(newAudit.subList(0, oldAudit.size())).isEqualTo(oldAudit);
    try (Connection c = Database.readOnlyConnection(db)) {
      AuditVerifier.Result verified = new AuditVerifier().verify(c);
      assertThat(verified.intact()).as(verified.problem()).isTrue();
      assertThat(verified.checked()).isEqualTo(newAudit.size());
    }
  }

  @Test
  void bootstrapTokensOfThePreviousReleaseKeepTheirHashExpiryAndUse() throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    BootstrapToken unused = BootstrapToken.parse(old.fact("token.unused")).orElseThrow();
    try (Database db = Database.open(old.controllerState().resolve("controller.db"))) {
      TokenRow row = db.read(c -> new TokenRepository().find(c, unused.id())).orElseThrow();
      assertThat(unused.matches(row.secretSha256())).isTrue();
      assertThat(row.usedAt()).isNull();
      assertThat(row.hostname()).isEqualTo("spare-node");
      assertThat(Duration.between(row.createdAt(), row.expiresAt())).isEqualTo(Duration.ofDays(30));
      long used =
          db.read(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet r =
                        s.executeQuery(
                            "SELECT count(*) FROM bootstrap_tokens WHERE used_by_node = '"
                                + PreviousRelease.NODE_ID
                                + "'")) {
                  r.next();
                  return r.getLong(1);
                }
              });
      assertThat(used).as("the agent's token, spent at enrolment").isEqualTo(1);
    }
  }

  @Test
  void theNodeCertificateOfThePreviousReleaseHeartbeatsWithoutReEnrolment() throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    assumeTrue(old.nodeCertificateValid(), PreviousRelease::regenerateHint);
    String certificate =
        Files.readString(old.agentDir().resolve("pki/node.pem"), StandardCharsets.US_ASCII);
    PrivateKey key =
        Pem.privateKey(
            Files.readString(old.agentDir().resolve("pki/node.key"), StandardCharsets.US_ASCII));
    TestNode node = new TestNode(PreviousRelease.NODE_ID, PreviousRelease.NODE_ID);
    node.keys = new KeyPair(old.nodeCertificate().getPublicKey(), key);
    Instant before = Instant.now();
    try (RunningController ctl = RunningController.start(old.controllerState())) {
      node.mtls(ctl, certificate)
          .heartbeat(
              HeartbeatRequest.newBuilder()
                  .setStatus(
                      NodeStatus.newBuilder()
                          .setState(HealthState.HEALTH_OK)
                          .setSummary("after the upgrade"))
                  .build());
      NodeRecord record =
          ctl.operator()
              .getNodeStatus(
                  GetNodeStatusRequest.newBuilder().setNode(PreviousRelease.NODE_ID).build());
      assertThat(record.getLastSeen().getSeconds()).isGreaterThanOrEqualTo(before.getEpochSecond());
      assertThat(record.getLastStatus().getSummary()).isEqualTo("after the upgrade");
      assertThat(record.getCertificateSerial()).isEqualTo(old.fact("node.serial"));

    } finally {
      node.close();
    }
  }

  /** The newest schema version Flyway recorded as applied (read only). */
  static String appliedSchema(Path db) throws SQLException {
    try (Connection c = Database.readOnlyConnection(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT"
                    + " NULL ORDER BY installed_rank DESC LIMIT 1")) {
      r.next();
      return r.getString(1);
    }
  }

  static List<AuditRecord> audit(Path db) throws SQLException {
    try (Connection c = Database.readOnlyConnection(db)) {
      return AuditLog.page(c, 0, 100_000);
    }
  }
}
