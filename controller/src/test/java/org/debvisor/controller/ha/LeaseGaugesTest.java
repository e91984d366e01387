package org.debvisor.controller.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.debvisor.common.testing.Poll;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.Controller;
import org.debvisor.controller.server.ControllerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease gauges on a real PostgreSQL: nothing before the first read, then the leader's fencing
 * token and the age of its last renewal on the leader and on a follower; the age grows while the
 * lease is not read again (what an alert on a stuck lease watches); a new leader shows the next
 * token. A sole controller on SQLite has no lease and exposes none of these series.
 */
@ExtendWith(PostgresExtension.class)
class LeaseGaugesTest {

  private static final Duration PERIOD = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final LeaderDuties NOTHING = new LeaderDuties(() -> {}, () -> {}, () -> {});

  @TempDir Path dir;

  // What the gauges take for "now": the real monotonic clock plus a hand-set offset, as if this
  // controller had not been able to read the lease for that long.
  private final AtomicLong offset = new AtomicLong();

  private long now() {
    return System.nanoTime() + offset.get();
  }

  @Test
  void leaderAndFollowerShowTheLeasesAgeAndTokenAndANewLeaderTheNextToken(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    try (Database db = Database.open(url)) {
      LeaderLease a = new LeaderLease(db, "member-a", PERIOD);
      LeaderLease b = new LeaderLease(db, "member-b", PERIOD);
      LeaseGauges.register(registryA, a, this::now);
      LeaseGauges.register(registryB, b, this::now);
      try {
        assertThat(age(registryA, "member-a")).as("not read yet").isNaN();
        assertThat(token(registryA, "member-a")).isNaN();
        assertThat(period(registryA, "member-a")).isEqualTo(3.0);

        a.start("127.0.0.1:1", NOTHING);
        await("a leads", a::isLeader);
        b.start("127.0.0.1:2", NOTHING);
        await("b read the lease", () -> b.seen().isPresent());

        assertThat(token(registryA, "member-a")).as("first lease of the database").isEqualTo(1.0);
        assertThat(token(registryB, "member-b")).as("the leader's token").isEqualTo(1.0);
        // Renewed every third of a period; a loaded machine may delay a renewal by seconds.
        assertThat(age(registryA, "member-a")).isBetween(0.0, 30.0);
        assertThat(age(registryB, "member-b")).isBetween(0.0, 30.0);
        assertThat(b.seen().orElseThrow().holder()).isEqualTo("member-a");

        offset.set(Duration.ofHours(1).toNanos());
        assertThat(age(registryB, "member-b"))
            .as("not read for an hour: the lease is an hour older")
            .isBetween(3600.0, 3630.0);
        offset.set(0);

        a.close();
        await("b leads after a handed the lease back", b::isLeader);
        await("b read its own lease", () -> b.seen().orElseThrow().token() == 2);
        assertThat(token(registryB, "member-b")).as("one more per new leader").isEqualTo(2.0);
        assertThat(b.seen().orElseThrow().holder()).isEqualTo("member-b");
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void aSoleControllerOnSqliteHasNoLeaseSeries() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Controller controller =
        Controller.start(
            ControllerSettings.defaults(dir.resolve("sole")).withListen("127.0.0.1", 0),
            registry,
            Clock.systemUTC())) {
      assertThat(
              registry
                  .get("debvisor.controller.leader")
                  .tag("controller", controller.memberId())
                  .gauge()
                  .value())
          .isEqualTo(1.0);
      assertThat(registry.find("debvisor.controller.lease.age").gauges()).isEmpty();
      assertThat(registry.find("debvisor.controller.lease.token").gauges()).isEmpty();
      assertThat(registry.find("debvisor.controller.lease.period").gauges()).isEmpty();
    }
  }

  private static double age(SimpleMeterRegistry registry, String member) {
    return registry.get("debvisor.controller.lease.age").tag("controller", member).gauge().value();
  }

  private static double token(SimpleMeterRegistry registry, String member) {
    return registry
        .get("debvisor.controller.lease.token")
        .tag("controller", member)
        .gauge()
        .value();
  }

  private static double period(SimpleMeterRegistry registry, String member) {
    return registry
        .get("debvisor.controller.lease.period")
        .tag("controller", member)
        .gauge()
        .value();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, WAIT, Duration.ofMillis(50), condition);
  }
}
