package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leases on both engines, with the times given: one holder at a time, renewal only by the holder
 * with its token and before expiry, a new token at every acquisition, and the fencing check.
 */
@ExtendWith(PostgresExtension.class)
class LeaseRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
  private static final Duration PERIOD = Duration.ofSeconds(5);

  @TempDir Path dir;

  private final LeaseRepository leases = new LeaseRepository();

  private Optional<Long> acquire(Database db, String holder, Instant at) {
    return db.write(c -> leases.acquire(c, "leader", holder, at, PERIOD));
  }

  private static boolean bool(Database db, Database.SqlWork<Boolean> work) {
    return db.write(work);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void oneHolderAtATimeAndEveryAcquisitionGetsTheNextToken(SqlDialect engine, PostgresServer server)
      throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      assertThat(acquire(db, "a", T0)).contains(1L);
      assertThat(acquire(db, "b", T0.plusSeconds(4))).as("held by a until T0+5s").isEmpty();
      assertThat(bool(db, c -> leases.renew(c, "leader", "a", 1, T0.plusSeconds(4), PERIOD)))
          .isTrue();
      assertThat(bool(db, c -> leases.renew(c, "leader", "b", 1, T0.plusSeconds(4), PERIOD)))
          .as("not b's lease")
          .isFalse();
      assertThat(bool(db, c -> leases.renew(c, "leader", "a", 7, T0.plusSeconds(4), PERIOD)))
          .as("not a's token")
          .isFalse();
      assertThat(acquire(db, "b", T0.plusSeconds(8)))
          .as("renewed at T0+4s: held until T0+9s")
          .isEmpty();
      LeaseRow held = db.read(c -> leases.find(c, "leader")).orElseThrow();
      assertThat(held.holder()).isEqualTo("a");
      assertThat(held.token()).isEqualTo(1);
      assertThat(held.acquiredAt()).isEqualTo(T0);
      assertThat(held.renewedAt()).isEqualTo(T0.plusSeconds(4));
      assertThat(held.expiresAt()).isEqualTo(T0.plusSeconds(9));

      // a stops renewing (paused, partitioned): b takes over once the lease ended.
      assertThat(acquire(db, "b", T0.plusSeconds(9))).contains(2L);
      assertThat(bool(db, c -> leases.renew(c, "leader", "a", 1, T0.plusSeconds(9), PERIOD)))
          .as("a's late renewal")
          .isFalse();
      assertThat(bool(db, c -> leases.fenceHolds(c, "leader", 1))).as("a's stale token").isFalse();
      assertThat(bool(db, c -> leases.fenceHolds(c, "leader", 2))).isTrue();
      LeaseRow taken = db.read(c -> leases.find(c, "leader")).orElseThrow();
      assertThat(taken.holder()).isEqualTo("b");
      assertThat(taken.token()).isEqualTo(2);

      // A clean stop hands the lease back at once; the next holder gets token 3.
      assertThat(bool(db, c -> leases.release(c, "leader", "a", 1, T0.plusSeconds(10)))).isFalse();
      assertThat(bool(db, c -> leases.release(c, "leader", "b", 2, T0.plusSeconds(10)))).isTrue();
      assertThat(acquire(db, "a", T0.plusSeconds(10))).contains(3L);
      Optional<LeaseRow> other = db.read(c -> leases.find(c, "other"));
      assertThat(other).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void theDatabaseClockIsTheEpochClock(SqlDialect engine, PostgresServer server) throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      Instant before = Instant.now().minusSeconds(60);
      Instant now = db.read(c -> engine.now(c));
      assertThat(now).isAfter(before).isBefore(Instant.now().plusSeconds(60));
    }
  }
}
