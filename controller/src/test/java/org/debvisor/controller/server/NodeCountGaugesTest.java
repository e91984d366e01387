package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debvisor_node_count} counted from a real SQLite inventory when read: one COUNT per read
 * after any number of changes, none while fresh, again once older than the maximum age (other
 * controllers' enrolments), and a failed COUNT is not taken for a fresh one.
 */
class NodeCountGaugesTest {

  private static final Instant T0 = Instant.parse("2026-12-03T04:00:00Z");
  private static final Duration MAX_AGE = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final NodeRepository nodes = new NodeRepository();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger counted = new AtomicInteger();
  private final List<String> clustersTold = new ArrayList<>();

  private NodeCountGauges gauges(Database db) {
    return new NodeCountGauges(
        registry,
        "lab",
        () -> {
          counted.incrementAndGet();
          return db.read(nodes::countActiveByCluster);
        },
        clustersTold::addAll,
        now::get,
        MAX_AGE);
  }

  @Test
  void aBurstOfEnrolmentsCostsOneCountWhenReadAndShowsEveryNode() {
    try (Database db = Database.open(dir.resolve("inventory.db"))) {
      NodeCountGauges gauges = gauges(db);
      assertThat(count("lab")).isZero();
      int before = counted.get();

      for (int i = 0; i < 500; i++) {
        String cluster = i % 5 == 0 ? "edge" : "lab";
        enrol(db, "n" + i, cluster);
        gauges.changed(cluster);
      }
      assertThat(counted.get()).as("no COUNT on the enrolment path").isEqualTo(before);

      assertThat(count("lab")).isEqualTo(400.0);
      assertThat(count("edge")).isEqualTo(100.0);
      assertThat(gauges.total()).isEqualTo(500);
      assertThat(counted.get()).as("one COUNT for the whole burst").isEqualTo(before + 1);
      assertThat(clustersTold).containsExactly("lab", "edge");
    }
  }

  @Test
  void aRevocationDropsItsClusterToZeroAndTheSeriesStays() throws Exception {
    try (Database db = Database.open(dir.resolve("inventory.db"))) {
      NodeCountGauges gauges = gauges(db);
      enrol(db, "e1", "edge");
      gauges.changed("edge");
      assertThat(count("edge")).isEqualTo(1.0);

      db.write(
          c -> {
            nodes.revoke(c, "e1", T0, "decommissioned");
            return null;
          });
      gauges.changed("edge");

      assertThat(count("edge")).isZero();
      assertThat(count("lab")).isZero();
    }
  }

  @Test
  void changesNotAnnouncedHereShowOnceTheCountsAreOlderThanTheMaximumAge() {
    try (Database db = Database.open(dir.resolve("inventory.db"))) {
      NodeCountGauges gauges = gauges(db);
      assertThat(count("lab")).isZero();
      int before = counted.get();

      // Another controller of the same database enrols: this one is not told.
      enrol(db, "n1", "lab");
      now.addAndGet(MAX_AGE.toNanos() - 1);
      assertThat(count("lab")).as("fresh counts are served as they are").isZero();
      assertThat(counted.get()).isEqualTo(before);

      now.addAndGet(1);
      assertThat(count("lab")).isEqualTo(1.0);
      assertThat(counted.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void aFailedCountIsNotTakenForFreshCounts() {
    try (Database db = Database.open(dir.resolve("inventory.db"))) {
      NodeCountGauges gauges = gauges(db);
      enrol(db, "n1", "lab");
      gauges.changed("lab");
      // The COUNT fails while the table is away, as on a database gone wrong.
      rename(db, "nodes", "nodes_away");
      int before = counted.get();

      assertThatThrownBy(gauges::current).isInstanceOf(InventoryException.class);
      assertThatThrownBy(gauges::current).isInstanceOf(InventoryException.class);
      assertThat(counted.get()).as("each read tried the database again").isEqualTo(before + 2);
      assertThat(count("lab")).as("a gauge read that failed shows no number").isNaN();

      rename(db, "nodes_away", "nodes");
      assertThat(count("lab")).isEqualTo(1.0);
    }
  }

  private static void rename(Database db, String from, String to) {
    db.write(
        c -> {
          try (var s = c.createStatement()) {
            s.execute("ALTER TABLE " + from + " RENAME TO " + to);
          }
          return null;
        });
  }

  private double count(String cluster) {
    return registry.get("debvisor.node.count").tag("cluster", cluster).gauge().value();
  }

  private void enrol(Database db, String id, String cluster) {
    db.write(
        c -> {
          nodes.upsertEnrolment(
              c,
              new NodeRow(
                  id,
                  "host-" + id,
                  "ceph",
                  cluster,
                  "amd64",
                  "",
                  "0.2.0",
                  NodeState.ACTIVE,
                  T0,
                  null,
                  "01ab",
                  T0.plusSeconds(3600),
                  null,
                  null,
                  "",
                  null,
                  ""));
          return null;
        });
  }
}
