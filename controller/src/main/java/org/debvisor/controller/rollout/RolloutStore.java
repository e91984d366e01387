package org.debvisor.controller.rollout;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.WriteFence;
import org.debvisor.proto.ConfigBundle;

/**
 * Durable rollout state: every method commits (fsynced) before it returns, so the caller may send
 * the next RPC. State transitions are compare-and-set and carry their audit entry in the same
 * transaction. The engine's own writes (a runner's node states, transitions and gate results) first
 * check the {@link WriteFence}, so a controller that lost the leader lease cannot write them late;
 * operators' commands, which any controller serves, do not.
 */
final class RolloutStore {

  /** Who did something and from where, for the audit log. */
  record Actor(String name, String source) {
    static final Actor ENGINE = new Actor("controller", "rollout-engine");
  }

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;
  private final RolloutMetrics metrics;
  private final WriteFence fence;
  private final RolloutRepository rollouts = new RolloutRepository();
  private final BundleRepository bundles = new BundleRepository();

  RolloutStore(Database db, AuditLog audit, Clock clock, RolloutMetrics metrics) {
    this(db, audit, clock, metrics, WriteFence.NONE);
  }

  RolloutStore(Database db, AuditLog audit, Clock clock, RolloutMetrics metrics, WriteFence fence) {
    this.fence = fence;
    this.db = db;
    this.audit = audit;
    this.clock = clock;
    this.metrics = metrics;
  }

  Instant now() {
    return clock.instant();
  }

  /** Stores a new rollout with its plan and bundle; refuses nodes already in a running one. */
  void create(Rollout rollout, List<PlannedNode> plan, ConfigBundle bundle, Actor actor) {
    db.write(
        c -> {
          Map<String, String> busy =
              rollouts.busyNodes(c, plan.stream().map(PlannedNode::nodeId).toList());
          if (!busy.isEmpty()) {
            var first = busy.entrySet().iterator().next();
            throw RolloutRefusedException.conflict(
                "rollout '"
                    + rollout.name()
                    + "' would touch "
                    + busy.size()
                    + " node(s) that unfinished rollouts are changing, e.g. "
                    + first.getKey()
                    + " in rollout "
                    + first.getValue()
                    + "; wait for that rollout to finish, abort it, or narrow --selector");
          }
          bundles.store(c, bundle, rollout.createdAt());
          rollouts.insert(c, rollout, plan);
          audit.append(
              c,
              new AuditEntry(
                  actor.name(),
                  "rollout.create",
                  rollout.id(),
                  actor.source(),
                  "ok",
                  "name="
                      + rollout.name()
                      + " version="
                      + rollout.bundleVersion()
                      + " selector="
                      + rollout.selector()
                      + " nodes="
                      + plan.size()
                      + " canary="
                      + rollout.canary()
                      + " waves="
                      + rollout.waves()
                      + " max_unavailable="
                      + rollout.maxUnavailable()
                      + " max_failures="
                      + rollout.maxFailures()
                      + " gate_window="
                      + rollout.gateWindow()
                      + " approve_after_canary="
                      + rollout.approveAfterCanary()));
          return null;
        });
    metrics.newest(rollout.state());
    refreshProgress();
  }

  Optional<Rollout> find(String id) {
    return db.read(c -> rollouts.find(c, id));
  }

  Rollout get(String id) {
    return find(id)
        .orElseThrow(
            () ->
                RolloutRefusedException.notFound(
                    "no rollout '" + id + "'; see `debvisor rollout list`"));
  }

  List<Rollout> list(int limit) {
    return db.read(c -> rollouts.list(c, limit));
  }

  List<Rollout> unfinished() {
    return db.read(rollouts::unfinished);
  }

  List<RolloutNode> nodes(String id) {
    return db.read(c -> rollouts.nodes(c, id));
  }

  Optional<ConfigBundle> bundle(String version) {
    return db.read(c -> bundles.find(c, version));
  }

  void markUpdating(String id, String nodeId, int healthBefore) {
    Instant now = now();
    db.write(
        c -> {
          fence.check(c);
          rollouts.markUpdating(c, id, nodeId, healthBefore, now);
          return null;
        });
  }

  void nodeState(String id, String nodeId, NodeRolloutState state, String reason) {
    Instant now = now();
    db.write(
        c -> {
          fence.check(c);
          rollouts.setNodeState(c, id, nodeId, state, reason, now);
          return null;
        });
    refreshProgress();
  }

  /**
   * Moves the rollout from {@code from} to {@code to} with the given fields and appends the audit
   * entry, in one transaction.
   *
   * @return false when the rollout was no longer in {@code from} (nothing written)
   */
  boolean transition(
      Rollout r,
      RolloutState from,
      RolloutState to,
      int wave,
      Instant gateUntil,
      String reason,
      String trippingNode,
      Actor actor,
      String action,
      String detail) {
    Instant now = now();
    boolean moved =
        db.write(
            c -> {
              if (actor == Actor.ENGINE) {
                fence.check(c);
              }
              if (!rollouts.transition(
                  c, r.id(), from, to, wave, gateUntil, reason, trippingNode, now)) {
                return false;
              }
              audit.append(
                  c,
                  new AuditEntry(actor.name(), action, r.id(), actor.source(), to.name(), detail));
              return true;
            });
    if (moved) {
      List<Rollout> newest = list(1);
      metrics.newest(newest.isEmpty() ? null : newest.get(0).state());
      if (to.terminal()) {
        metrics.finished(get(r.id()));
      }
      refreshProgress();
    }
    return moved;
  }

  /** Appends an audit entry on its own (gate results). */
  void audit(Actor actor, String action, String target, String result, String detail) {
    db.write(
        c -> {
          fence.check(c);
          return audit.append(
              c, new AuditEntry(actor.name(), action, target, actor.source(), result, detail));
        });
  }

  Map<NodeRolloutState, Integer> counts(String id) {
    return db.read(c -> rollouts.counts(c, id));
  }

  void refreshProgress() {
    Map<Rollout, Map<NodeRolloutState, Integer>> progress = new LinkedHashMap<>();
    db.read(
        c -> {
          for (Rollout r : rollouts.unfinished(c)) {
            progress.put(r, rollouts.counts(c, r.id()));
          }
          return null;
        });
    metrics.progress(progress);
  }
}
