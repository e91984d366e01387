package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.Controller;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.Rollout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real controllers on one real PostgreSQL and three real agents: a rollout created through the
 * follower runs on the leader; the leader stops in the middle of it; the other controller takes the
 * lease and finishes the rollout from the database. No node is updated twice, the audit chain is
 * one intact chain, and what the first leader acknowledged is all there.
 */
@ExtendWith(PostgresExtension.class)
class ControllerFailoverTest {

  @TempDir Path dir;

  @Test
  void theOtherControllerTakesOverAndFinishesTheRolloutWhenTheLeaderStops(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    Path passphrase =
        SharedCaSeed.passphraseFile(dir.resolve("ca-passphrase"), "correct horse battery staple");
    SharedCaSeed.seed(url, passphrase, dir);
    try (TestFleet fleet =
        new TestFleet(
            dir.resolve("fleet"),
            s ->
                s.withPostgres(url)
                    .withCaKeyPassphraseFile(passphrase)
                    .withLeasePeriod(Duration.ofSeconds(2)))) {
      TestFleet.await("the first controller leads", () -> fleet.controller.isLeader());
      fleet.addAgents(3, List.of());
      Path otherState = dir.resolve("other");
      SimpleMeterRegistry otherRegistry = new SimpleMeterRegistry();
      try (Controller other =
              Controller.start(fleet.settingsFor(otherState), otherRegistry, Clock.systemUTC());
          ControllerConnection otherOperator =
              ControllerConnection.open(
                  "127.0.0.1:" + other.address().getPort(),
                  otherState.resolve("pki/ca.pem"),
                  Files.readString(otherState.resolve("operator-token"), StandardCharsets.UTF_8)
                      .strip())) {
        ControllerGrpc.ControllerBlockingStub follower = otherOperator.controller(60);
        assertThat(other.isLeader()).isFalse();

        // Each update holds in the agent's own gate for 1 s, one node at a time.
        String id =
            follower
                .createRollout(
                    CreateRolloutRequest.newBuilder()
                        .setBundle(
                            fleet.bundle("v1", false).toBuilder()
                                .setGate(
                                    HealthGate.newBuilder()
                                        .setWindow(
                                            com.google.protobuf.Duration.newBuilder()
                                                .setSeconds(1))))
                        .setSelector("profile=ceph")
                        .setCanary(1)
                        .addWavePercents(100)
                        .setMaxUnavailable(1)
                        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance())
                        .build())
                .getId();
        TestFleet.await(
            "the leader updated the canary",
            () ->
                get(follower, id).getNodesList().stream()
                    .anyMatch(n -> n.getState().equals("UPDATED")));
        assertThat(get(follower, id).getState()).isEqualTo("RUNNING");
        List<String> acknowledged = auditHashes(url);

        fleet.stopController();
        TestFleet.await("the other controller leads", other::isLeader);
        TestFleet.await(
            "the rollout finished", () -> get(follower, id).getState().equals("SUCCEEDED"));

        assertThat(get(follower, id).getNodesList()).allMatch(n -> n.getState().equals("UPDATED"));
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
        assertThat(auditHashes(url)).startsWith(acknowledged.toArray(String[]::new));
        try (Connection c = Database.readOnlyConnection(url)) {
          AuditVerifier.Result chain = new AuditVerifier().verify(c);
          assertThat(chain.intact()).as(chain.problem()).isTrue();
        }
        assertThat(
                otherRegistry
                    .get("debvisor.controller.leader")
                    .tag("controller", other.memberId())
                    .gauge()
                    .value())
            .isEqualTo(1.0);
      }
    }
  }

  private static Rollout get(ControllerGrpc.ControllerBlockingStub operator, String id) {
    return operator.getRollout(GetRolloutRequest.newBuilder().setId(id).build());
  }

  private static List<String> auditHashes(PostgresUrl url) throws Exception {
    List<String> hashes = new ArrayList<>();
    try (Connection c = Database.readOnlyConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT hash FROM audit_log ORDER BY seq")) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
      }
    }
    return hashes;
  }
}
