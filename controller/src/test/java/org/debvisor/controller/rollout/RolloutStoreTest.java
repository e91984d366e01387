package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.SqlDialect;
import org.debvisor.controller.inventory.TestInventories;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rollout and bundle repositories, through RolloutStore, on SQLite and PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class RolloutStoreTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  private static ConfigBundle bundle(String version, String content) {
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath("/etc/debvisor/managed/app.conf")
                .setContent(ByteString.copyFromUtf8(content + "\u0000\u00ff")))
        .build();
  }

  private static Rollout rollout(String id, String version) {
    return new Rollout(
        id,
        "web " + id,
        "default",
        RolloutState.RUNNING,
        "profile=ceph",
        version,
        1,
        WavePlan.parse("50,100"),
        1,
        0,
        Duration.ofSeconds(30),
        true,
        0,
        null,
        "",
        "",
        "operator",
        T0,
        T0,
        null);
  }

  private static List<PlannedNode> plan(String... nodes) {
    List<PlannedNode> out = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      out.add(new PlannedNode(nodes[i], "host-" + nodes[i], "192.0.2.1:5000", i, i, "v0"));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aRolloutItsNodesAndItsBundleRoundTripAndMoveByCompareAndSet(
      SqlDialect engine, PostgresServer server) throws Exception {
    var clock = java.time.Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC);
    try (Database db = TestInventories.open(engine, dir, server)) {
      RolloutStore store =
          new RolloutStore(
              db, new AuditLog(clock), clock, new RolloutMetrics(new SimpleMeterRegistry(), "t"));
      Rollout r = rollout("r1", "v1");
      store.create(r, plan("n1", "n2", "n3"), bundle("v1", "a=1"), RolloutStore.Actor.ENGINE);

      assertThat(store.get("r1")).isEqualTo(r);
      assertThat(store.bundle("v1")).contains(bundle("v1", "a=1"));
      assertThat(store.unfinished()).extracting(Rollout::id).containsExactly("r1");
      assertThat(store.nodes("r1"))
          .extracting(RolloutNode::nodeId, RolloutNode::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("n1", NodeRolloutState.PENDING),
              org.assertj.core.groups.Tuple.tuple("n2", NodeRolloutState.PENDING),
              org.assertj.core.groups.Tuple.tuple("n3", NodeRolloutState.PENDING));

      store.markUpdating("r1", "n1", 2);
      store.nodeState("r1", "n1", NodeRolloutState.UPDATED, "");
      store.markUpdating("r1", "n2", 1);
      store.nodeState("r1", "n2", NodeRolloutState.FAILED, "gate failed");
      RolloutNode n2 = store.nodes("r1").get(1);
      assertThat(n2.changeSeq()).isEqualTo(2);
      assertThat(n2.healthBefore()).isEqualTo(1);
      assertThat(n2.reason()).isEqualTo("gate failed");
      assertThat(store.counts("r1"))
          .containsAllEntriesOf(
              Map.of(
                  NodeRolloutState.UPDATED, 1,
                  NodeRolloutState.FAILED, 1,
                  NodeRolloutState.PENDING, 1));

      boolean moved =
          store.transition(
              r,
              RolloutState.RUNNING,
              RolloutState.ROLLING_BACK,
              1,
              null,
              "n2 failed",
              "n2",
              RolloutStore.Actor.ENGINE,
              "rollout.rollback",
              "");
      boolean movedAgain =
          store.transition(
              r,
              RolloutState.RUNNING,
              RolloutState.ABORTED,
              1,
              null,
              "late",
              "",
              RolloutStore.Actor.ENGINE,
              "rollout.abort",
              "");
      assertThat(moved).isTrue();
      assertThat(movedAgain).as("no longer RUNNING: nothing written").isFalse();
      Rollout now = store.get("r1");
      assertThat(now.state()).isEqualTo(RolloutState.ROLLING_BACK);
      assertThat(now.trippingNode()).isEqualTo("n2");
      assertThat(now.updatedAt()).isEqualTo(T0.plusSeconds(5));

      List<AuditRecord> audit = db.read(c -> AuditLog.page(c, 0, 10));
      assertThat(audit)
          .extracting(a -> a.entry().action())
          .containsExactly("rollout.create", "rollout.rollback");
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void refusedRolloutsLeaveNothingBehind(SqlDialect engine, PostgresServer server)
      throws Exception {
    var clock = java.time.Clock.fixed(T0, ZoneOffset.UTC);
    try (Database db = TestInventories.open(engine, dir, server)) {
      RolloutStore store =
          new RolloutStore(
              db, new AuditLog(clock), clock, new RolloutMetrics(new SimpleMeterRegistry(), "t"));
      store.create(rollout("r1", "v1"), plan("n1"), bundle("v1", "a=1"), RolloutStore.Actor.ENGINE);

      assertThatThrownBy(
              () ->
                  store.create(
                      rollout("r2", "v2"),
                      plan("n2", "n1"),
                      bundle("v2", "a=2"),
                      RolloutStore.Actor.ENGINE))
          .isInstanceOf(RolloutRefusedException.class)
          .hasMessageContaining("host-n1");
      assertThatThrownBy(
              () ->
                  store.create(
                      rollout("r3", "v1"),
                      plan("n3"),
                      bundle("v1", "changed"),
                      RolloutStore.Actor.ENGINE))
          .isInstanceOf(RolloutRefusedException.class)
          .hasMessageContaining("other content");

      assertThat(store.list(10)).extracting(Rollout::id).containsExactly("r1");
      Optional<ConfigBundle> v2 = store.bundle("v2");
      assertThat(v2).as("the refused rollout's bundle was not stored").isEmpty();
      assertThat(store.bundle("v1")).contains(bundle("v1", "a=1"));
      List<AuditRecord> audit = db.read(c -> AuditLog.page(c, 0, 10));
      assertThat(audit).hasSize(1);
    }
  }
}
