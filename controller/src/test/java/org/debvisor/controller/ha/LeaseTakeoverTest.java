package org.debvisor.controller.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.LeaseRow;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A controller that sees another's lease aims its next attempt just after that lease ends, rather
 * than at its next third of a period: a dead leader is replaced as soon as fencing allows.
 */
@ExtendWith(PostgresExtension.class)
class LeaseTakeoverTest {

  private static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");

  private static LeaseRow heldUntil(Instant expires) {
    return new LeaseRow(LeaderLease.NAME, "ctl-a", 3, NOW.minusSeconds(9), NOW, expires);
  }

  @Test
  void theNextAttemptComesJustAfterTheExpiryItRead() {
    Duration period = Duration.ofSeconds(6); // renewals every 2 s, a 60 ms margin
    assertThat(LeaderLease.untilExpiry(period, heldUntil(NOW.plusMillis(700)), NOW)).isEqualTo(760);
    // Never later than the usual third of a period, never a busy loop.
    assertThat(LeaderLease.untilExpiry(period, heldUntil(NOW.plusSeconds(6)), NOW)).isEqualTo(2000);
    assertThat(LeaderLease.untilExpiry(period, heldUntil(NOW.minusSeconds(1)), NOW)).isEqualTo(20);
  }

  @Test
  void aDeadLeadersLeaseIsTakenRightAfterItEndsNotAtTheNextThird(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    // A long period: the usual attempts come 10 s apart, the aimed one about 1 s after the start.
    Duration period = Duration.ofSeconds(30);
    LeaseRepository leases = new LeaseRepository();
    try (Database db = Database.open(url)) {
      // A leader that died one second before its lease ends: the row is never renewed.
      Instant ends =
          db.write(
              c -> {
                Instant at = db.dialect().now(c);
                leases.acquire(c, LeaderLease.NAME, "ctl-dead", at, Duration.ofSeconds(1));
                return at.plusSeconds(1);
              });
      try (LeaderLease b = new LeaderLease(db, "ctl-b", period)) {
        b.start("ctl-b:5443", new LeaderDuties(() -> {}, () -> {}, () -> {}));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!b.isLeader() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(b.isLeader()).as("ctl-b leads").isTrue();
        LeaseRow row = LeaseProbe.lease(url);
        assertThat(row.holder()).isEqualTo("ctl-b");
        assertThat(row.token()).isEqualTo(2);
        // Not before the dead leader's lease ended (fencing), and not a third of a period later.
        assertThat(row.acquiredAt()).isAfterOrEqualTo(ends).isBefore(ends.plusSeconds(5));
      }
    }
  }
}
