package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.ha.LeaderLease;
import org.debvisor.controller.ha.LeaseFence;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.proto.ConfigBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A leader paused past its lease (or cut off from the database) while another controller took the
 * lease: its late rollout writes carry its old fencing token and are refused, nothing of them is
 * stored, while the new leader's writes and any controller's operator commands go through.
 */
@ExtendWith(PostgresExtension.class)
class RolloutFencingTest {

  private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");

  @Test
  void theStaleLeadersLateWritesAreRefusedAndChangeNothing(PostgresServer server) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = Database.open(server.createDatabase())) {
      LeaseRepository leases = new LeaseRepository();
      Duration period = Duration.ofSeconds(5);
      long oldToken =
          db.write(c -> leases.acquire(c, LeaderLease.NAME, "ctl-a", T0, period)).orElseThrow();
      // ctl-a stops renewing; after the lease ended ctl-b takes it.
      long newToken =
          db.write(c -> leases.acquire(c, LeaderLease.NAME, "ctl-b", T0.plusSeconds(6), period))
              .orElseThrow();
      assertThat(newToken).isEqualTo(oldToken + 1);
      RolloutStore stale = store(db, clock, fence("ctl-a", oldToken, db));
      RolloutStore leader = store(db, clock, fence("ctl-b", newToken, db));
      Rollout r = rollout();
      // Creating is an operator's command: any controller stores it.
      stale.create(
          r,
          List.of(new PlannedNode("n1", "host-n1", "192.0.2.1:5000", 0, 0, "v0")),
          ConfigBundle.newBuilder().setVersion("v1").build(),
          new RolloutStore.Actor("operator", "test"));
      long auditRows = auditRows(db);

      assertThatThrownBy(() -> stale.markUpdating(r.id(), "n1", 2))
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("ctl-a does not hold the leader lease")
          .hasMessageContaining("fencing token " + oldToken + " is stale");
      assertThatThrownBy(
              () -> stale.nodeState(r.id(), "n1", NodeRolloutState.UPDATED, "late write"))
          .isInstanceOf(InventoryException.class);
      assertThatThrownBy(
              () ->
                  stale.transition(
                      r,
                      RolloutState.RUNNING,
                      RolloutState.SUCCEEDED,
                      0,
                      null,
                      "",
                      "",
                      RolloutStore.Actor.ENGINE,
                      "rollout.finish",
                      "late"))
          .isInstanceOf(InventoryException.class);
      assertThatThrownBy(
              () -> stale.audit(RolloutStore.Actor.ENGINE, "rollout.gate", "x", "ok", ""))
          .isInstanceOf(InventoryException.class);
      assertThatThrownBy(
              () ->
                  store(db, clock, fence("ctl-c", 0, db))
                      .nodeState(r.id(), "n1", NodeRolloutState.FAILED, "never led"))
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("ctl-c does not hold the leader lease");

      assertThat(stale.nodes(r.id()))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.state()).isEqualTo(NodeRolloutState.PENDING);
                assertThat(n.reason()).isEmpty();
              });
      assertThat(stale.get(r.id()).state()).isEqualTo(RolloutState.RUNNING);
      assertThat(auditRows(db)).as("no audit row from the refused writes").isEqualTo(auditRows);

      // The lease holder writes; an operator's pause goes through whichever controller serves it.
      leader.nodeState(r.id(), "n1", NodeRolloutState.UPDATED, "");
      assertThat(leader.nodes(r.id()).get(0).state()).isEqualTo(NodeRolloutState.UPDATED);
      assertThat(
              stale.transition(
                  r,
                  RolloutState.RUNNING,
                  RolloutState.PAUSED,
                  0,
                  null,
                  "",
                  "",
                  new RolloutStore.Actor("operator", "test"),
                  "rollout.pause",
                  ""))
          .isTrue();
      assertThat(leader.get(r.id()).state()).isEqualTo(RolloutState.PAUSED);
    }
  }

  private static RolloutStore store(Database db, Clock clock, LeaseFence fence) {
    return new RolloutStore(
        db, new AuditLog(clock), clock, new RolloutMetrics(new SimpleMeterRegistry(), "t"), fence);
  }

  private static LeaseFence fence(String member, long token, Database db) {
    return new LeaseFence(member, () -> token, db.dialect(), Duration.ofSeconds(5));
  }

  private static long auditRows(Database db) {
    return db.read(c -> org.debvisor.controller.audit.AuditLog.page(c, 0, 10_000).size());
  }

  private static Rollout rollout() {
    return new Rollout(
        "ro-fence",
        "fenced",
        "default",
        RolloutState.RUNNING,
        "profile=ceph",
        "v1",
        0,
        WavePlan.parse("100"),
        1,
        0,
        Duration.ZERO,
        false,
        0,
        null,
        "",
        "",
        "operator",
        T0,
        T0,
        null);
  }
}
