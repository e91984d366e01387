package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.ha.LeaseProbe;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.LeaseRow;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.EnrolmentLoad;
import org.debvisor.controller.server.KillableController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.Rollout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code controller serve} processes on one real PostgreSQL, three real agents listing both, a
 * rollout running on the leader and agents enrolling through it: the leader is SIGKILLed. The other
 * process takes the lease once it ended (never before) and finishes the rollout, each node updated
 * once; every enrolment the dead leader acknowledged is stored whole, every audit row it committed
 * is still a prefix of one intact chain, no node's stored heartbeat went back, and the agents'
 * heartbeats reach the survivor. Two controller JVMs on a loaded machine take minutes, so this runs
 * in the slow suite ({@code -Ddebvisor.slow=true}); ControllerFailoverTest covers the takeover in
 * one JVM by default.
 */
@ExtendWith(PostgresExtension.class)
class ProcessFailoverSlowTest {

  private static final String LEASE_PERIOD = "2s";

  @TempDir Path dir;

  // Before the test's parameters are resolved: skipped, it must not start a PostgreSQL.
  @BeforeEach
  void onlyInTheSlowSuite() {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "two controller JVMs: -Ddebvisor.slow=true");
  }

  @Test
  void aKilledLeadersRolloutIsFinishedByTheOtherProcessAndNothingAcknowledgedIsLost(
      PostgresServer server) throws Exception {
    PostgresUrl url = server.createDatabase();
    Path passphrase =
        SharedCaSeed.passphraseFile(dir.resolve("ca-passphrase"), "correct horse battery staple");
    SharedCaSeed.seed(url, passphrase, dir);
    Path managed = Files.createDirectories(dir.resolve("fleet/managed"));
    List<String> options =
        List.of(
            "--database-url",
            url.redacted(),
            "--ca-key-passphrase-file",
            passphrase.toString(),
            "--lease-period",
            LEASE_PERIOD,
            "--heartbeat-interval",
            "1s",
            "--cluster",
            "lab",
            "--bundle-root",
            managed.toString(),
            "--register-burst",
            "1000",
            "--register-rate",
            "1000");
    Path stateA = dir.resolve("ctl-a");
    Path stateB = dir.resolve("ctl-b");
    int portA = KillableController.freePort();
    try (KillableController a = KillableController.start(stateA, portA, options)) {
      String idA = LeaseProbe.memberId(stateA);
      TestFleet.await("controller a leads", () -> LeaseProbe.holder(url).equals(idA));
      int portB = KillableController.freePort();
      try (KillableController b = KillableController.start(stateB, portB, options);
          TestFleet fleet =
              TestFleet.forControllers(dir.resolve("fleet"), stateA, List.of(portA, portB))) {
        String idB = LeaseProbe.memberId(stateB);
        fleet.addAgents(3, List.of());
        ControllerGrpc.ControllerBlockingStub leader = fleet.operator();

        // Each update holds in the agent's own gate for 3 s, one node at a time: the kill lands
        // mid-rollout.
        String id =
            leader
                .createRollout(
                    CreateRolloutRequest.newBuilder()
                        .setBundle(
                            fleet.bundle("v1", false).toBuilder()
                                .setGate(
                                    HealthGate.newBuilder()
                                        .setWindow(Duration.newBuilder().setSeconds(3))))
                        .setSelector("profile=ceph")
                        .setCanary(1)
                        .addWavePercents(100)
                        .setMaxUnavailable(1)
                        .setGateWindow(Duration.getDefaultInstance())
                        .build())
                .getId();
        TestFleet.await(
            "the leader updated the canary",
            () ->
                get(fleet.operator(), id).getNodesList().stream()
                    .anyMatch(n -> n.getState().equals("UPDATED")));
        assertThat(get(fleet.operator(), id).getState()).isEqualTo("RUNNING");

        List<RegisterNodeRequest> enrolments = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          TestNode node = new TestNode(String.format("%032x", 0xa11ce00L + i), "late-" + i);
          String token =
              leader
                  .createBootstrapToken(
                      CreateBootstrapTokenRequest.newBuilder()
                          .setTtl(Duration.newBuilder().setSeconds(3600))
                          .build())
                  .getToken();
          enrolments.add(node.request(token).build());
        }

        Map<String, String> acked;
        List<String> committedAudit;
        Map<String, Long> seenBeforeKill;
        Instant killedAt;
        try (ControllerConnection anonymous = a.anonymous()) {
          EnrolmentLoad load = EnrolmentLoad.start(anonymous, enrolments, 4);
          try {
            load.awaitAcks(4, java.time.Duration.ofSeconds(120));
            a.kill();
            killedAt = Instant.now();
          } finally {
            load.close();
          }
          acked = load.acked();
        }
        try (Connection c = Database.readOnlyConnection(url)) {
          committedAudit = auditHashes(c);
          seenBeforeKill = lastSeen(c);
        }
        LeaseRow lostLease = LeaseProbe.lease(url);
        assertThat(lostLease.holder()).isEqualTo(idA);

        TestFleet.await("controller b leads", () -> LeaseProbe.holder(url).equals(idB));
        LeaseRow taken = LeaseProbe.lease(url);
        System.out.printf(
            "ProcessFailoverSlowTest: lease taken %d ms after the kill (lease period %s)%n",
            java.time.Duration.between(killedAt, Instant.now()).toMillis(), LEASE_PERIOD);
        assertThat(taken.token()).isGreaterThan(lostLease.token());
        assertThat(taken.acquiredAt())
            .as("taken once the killed leader's lease ended, never before")
            .isAfterOrEqualTo(lostLease.expiresAt());

        fleet.useOperatorOf(portB, stateB);
        TestFleet.await(
            "the rollout finished", () -> get(fleet.operator(), id).getState().equals("SUCCEEDED"));
        assertThat(get(fleet.operator(), id).getNodesList())
            .allMatch(n -> n.getState().equals("UPDATED"));
        for (String node : fleet.agents.keySet()) {
          assertThat(fleet.activeVersion(node)).isEqualTo("v1");
          assertThat(
                  fleet.history(node).stream()
                      .filter(e -> e.getVersion().equals("v1"))
                      .filter(e -> e.getResult() == ConfigResult.CONFIG_APPLIED)
                      .count())
              .as(node + " updated once")
              .isEqualTo(1);
        }
        TestFleet.await(
            "every agent's heartbeat reaches the survivor",
            () -> {
              Map<String, Long> now = lastSeen(url);
              return fleet.agents.keySet().stream()
                  .allMatch(
                      n -> now.get(n) > Math.max(seenBeforeKill.get(n), killedAtMs(killedAt)));
            });

        try (Connection c = Database.readOnlyConnection(url)) {
          EnrolmentLoad.assertDurable(c, acked);
          assertThat(auditHashes(c)).startsWith(committedAudit.toArray(String[]::new));
          Map<String, Long> seenAfter = lastSeen(c);
          seenBeforeKill.forEach(
              (node, seen) ->
                  assertThat(seenAfter.get(node)).as(node).isGreaterThanOrEqualTo(seen));
          AuditVerifier.Result chain = new AuditVerifier().verify(c);
          assertThat(chain.intact()).as(chain.problem()).isTrue();
        }
        assertThat(b.isAlive()).as(b.log()).isTrue();
      }
    }
  }

  private static long killedAtMs(Instant killedAt) {
    return killedAt.toEpochMilli();
  }

  private static Rollout get(ControllerGrpc.ControllerBlockingStub operator, String id) {
    return operator.getRollout(GetRolloutRequest.newBuilder().setId(id).build());
  }

  private static List<String> auditHashes(Connection c) throws SQLException {
    List<String> hashes = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT hash FROM audit_log ORDER BY seq");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
      }
    }
    return hashes;
  }

  private static Map<String, Long> lastSeen(PostgresUrl url) {
    try (Connection c = Database.readOnlyConnection(url)) {
      return lastSeen(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stored last heartbeat (epoch ms) of each node that has one, by hostname. */
  private static Map<String, Long> lastSeen(Connection c) throws SQLException {
    Map<String, Long> seen = new HashMap<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT hostname, last_seen FROM nodes WHERE last_seen IS NOT NULL");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        seen.put(rs.getString(1), rs.getLong(2));
      }
    }
    return seen;
  }
}
