package org.debvisor.controller.rollout;

import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.WriteFence;
import org.debvisor.controller.rollout.RolloutStore.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet rollouts: validates and plans a rollout, stores it, and runs one {@link RolloutRunner}
 * thread per unfinished rollout; operator commands (pause, resume, approve, abort, rollback) are
 * durable, audited state changes the runner picks up.
 *
 * <p>Runners run only while this controller leads ({@link #lead}): with several controllers on one
 * database any of them stores rollouts and commands, and the leader adopts what the others stored
 * ({@link #adopt}). When it stops leading ({@link #stepDown}) its runners stop; the state is
 * durable, so the next leader resumes each rollout where it was.
 */
public final class RolloutEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RolloutEngine.class);
  private static final int MAX_LIST = 1000;

  private final RolloutStore store;
  private final AgentCalls agents;
  private final FleetView fleet;
  private final BundleCheck bundleCheck;
  private final AgentRetry retry;
  private final String cluster;
  private final RolloutPlanner planner = new RolloutPlanner();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Thread> runners = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile boolean leading;

  /**
   * @param cluster the controller's cluster: the {@code environment} of the metrics
   * @param fence checked by every write of a runner (the leader lease's fencing token)
   */
  public RolloutEngine(
      Database db,
      AuditLog audit,
      Clock clock,
      MeterRegistry registry,
      String cluster,
      AgentCalls agents,
      FleetView fleet,
      BundleCheck bundleCheck,
      int attempts,
      Duration firstRetryPause,
      WriteFence fence) {
    this.store = new RolloutStore(db, audit, clock, new RolloutMetrics(registry, cluster), fence);
    this.agents = agents;
    this.fleet = fleet;
    this.bundleCheck = bundleCheck;
    this.retry = new AgentRetry(attempts, firstRetryPause);
    this.cluster = cluster;
  }

  /**
   * This controller leads from now on: resumes every unfinished rollout (after a restart, a crash
   * or another controller's failure).
   */
  public void lead() {
    leading = true;
    for (Rollout r : store.unfinished()) {
      log.info("resuming rollout {} ({}) in state {}", r.id(), r.name(), r.state());
      ensureRunner(r.id());
    }
    store.refreshProgress();
  }

  /** While leading: starts runners for rollouts another controller created or revived. */
  public void adopt() {
    if (!leading) {
      return;
    }
    for (Rollout r : store.unfinished()) {
      Thread runner = runners.get(r.id());
      if (runner == null || !runner.isAlive()) {
        log.info("taking up rollout {} ({}) in state {}", r.id(), r.name(), r.state());
        ensureRunner(r.id());
      }
    }
  }

  /** This controller no longer leads: stops its runners (their state stays durable). */
  public void stepDown() {
    leading = false;
    stopRunners();
  }

  /** True while runners may run here. */
  public boolean leading() {
    return leading;
  }

  /**
   * Validates, plans and stores a rollout, then starts it.
   *
   * @throws RolloutRefusedException bad input or nodes busy in another rollout; nothing stored
   */
  public Rollout create(RolloutSpec spec, String actor, String source) {
    spec.validate();
    List<String> problems = bundleCheck.problems(spec.bundle());
    if (!problems.isEmpty()) {
      throw RolloutRefusedException.invalid(
          "bundle",
          "the agents would refuse it: "
              + String.join("; ", problems)
              + "; nothing was sent to any node");
    }
    List<PlannedNode> plan = planner.plan(spec, fleet.nodes());
    Instant now = store.now();
    String id = "ro-" + HexFormat.of().formatHex(bytes());
    String name = spec.name().isEmpty() ? spec.bundle().getVersion() : spec.name();
    Rollout rollout =
        new Rollout(
            id,
            name,
            cluster,
            RolloutState.RUNNING,
            spec.selector(),
            spec.bundle().getVersion(),
            spec.canary(),
            spec.waves(),
            spec.maxUnavailable(),
            spec.maxFailures(),
            spec.gateWindow(),
            spec.approveAfterCanary(),
            plan.stream().mapToInt(PlannedNode::wave).min().orElse(0),
            null,
            "",
            "",
            actor,
            now,
            now,
            null);
    store.create(rollout, plan, spec.bundle(), new Actor(actor, source));
    ensureRunner(id);
    return rollout;
  }

  private byte[] bytes() {
    byte[] b = new byte[5];
    random.nextBytes(b);
    return b;
  }

  public List<Rollout> list() {
    return store.list(MAX_LIST);
  }

  /** How many of the rollout's nodes are in each state. */
  public Map<NodeRolloutState, Integer> counts(String id) {
    return store.counts(id);
  }

  /**
   * @throws RolloutRefusedException NOT_FOUND
   */
  public RolloutView view(String id) {
    return new RolloutView(store.get(id), store.nodes(id));
  }

  public Rollout pause(String id, String actor, String source) {
    return command(
        id, Set.of(RolloutState.RUNNING), RolloutState.PAUSED, "rollout.pause", actor, source, "");
  }

  public Rollout resume(String id, String actor, String source) {
    return command(
        id, Set.of(RolloutState.PAUSED), RolloutState.RUNNING, "rollout.resume", actor, source, "");
  }

  public Rollout approve(String id, String actor, String source) {
    return command(
        id,
        Set.of(RolloutState.AWAITING_APPROVAL),
        RolloutState.RUNNING,
        "rollout.approve",
        actor,
        source,
        "");
  }

  public Rollout abort(String id, String actor, String source) {
    return command(
        id,
        Set.of(RolloutState.RUNNING, RolloutState.PAUSED, RolloutState.AWAITING_APPROVAL),
        RolloutState.ABORTED,
        "rollout.abort",
        actor,
        source,
        "aborted by " + actor);
  }

  public Rollout rollback(String id, String actor, String source) {
    return command(
        id,
        Set.of(
            RolloutState.RUNNING,
            RolloutState.PAUSED,
            RolloutState.AWAITING_APPROVAL,
            RolloutState.SUCCEEDED,
            RolloutState.ABORTED),
        RolloutState.ROLLING_BACK,
        "rollout.rollback",
        actor,
        source,
        "rollback requested by " + actor);
  }

  private Rollout command(
      String id,
      Set<RolloutState> from,
      RolloutState to,
      String action,
      String actor,
      String source,
      String reason) {
    // The runner may move the rollout at the same moment: re-read and try again a few times.
    for (int attempt = 0; attempt < 5; attempt++) {
      Rollout r = store.get(id);
      if (!from.contains(r.state())) {
        throw RolloutRefusedException.conflict(refusal(r, action));
      }
      boolean moved =
          store.transition(
              r,
              r.state(),
              to,
              r.currentWave(),
              to == RolloutState.ROLLING_BACK ? null : r.gateUntil(),
              reason.isEmpty() ? r.reason() : reason,
              to == RolloutState.ROLLING_BACK ? "" : r.trippingNode(),
              new Actor(actor, source),
              action,
              "from " + r.state() + (reason.isEmpty() ? "" : ": " + reason));
      if (moved) {
        if (!to.terminal()) {
          ensureRunner(id);
        }
        return store.get(id);
      }
    }
    throw RolloutRefusedException.conflict(
        "rollout "
            + id
            + " kept changing state; look at `debvisor rollout status "
            + id
            + "` and retry");
  }

  private static String refusal(Rollout r, String action) {
    String verb = action.substring(action.indexOf('.') + 1);
    String what = "rollout " + r.id() + " (" + r.name() + ") is " + r.state();
    return switch (r.state()) {
      case ROLLING_BACK ->
          what + "; it cannot be " + past(verb) + " while it restores nodes; wait for ROLLED_BACK";
      case SUCCEEDED, ABORTED ->
          what
              + ", which is final; it cannot be "
              + past(verb)
              + " (only `rollback` still applies)";
      case ROLLED_BACK ->
          what + ", which is final; it cannot be " + past(verb) + "; create a new rollout";
      case PAUSED -> what + "; `resume` it first (or abort or roll it back)";
      case AWAITING_APPROVAL -> what + "; `approve` it (or abort or roll it back)";
      case RUNNING -> what + "; it cannot be " + past(verb) + " now";
    };
  }

  private static String past(String verb) {
    return switch (verb) {
      case "pause" -> "paused";
      case "resume" -> "resumed";
      case "approve" -> "approved";
      case "abort" -> "aborted";
      default -> "rolled back";
    };
  }

  private void ensureRunner(String id) {
    if (closed || !leading) {
      return;
    }
    runners.compute(
        id,
        (key, existing) -> {
          if (existing != null && existing.isAlive()) {
            return existing;
          }
          return Thread.ofPlatform().name("rollout-" + id).daemon(true).start(() -> drive(id));
        });
  }

  /**
   * Runs the rollout until it is finished. Leaving the map is decided atomically with {@link
   * #ensureRunner}, so a command that revives a finished rollout (rollback) always finds a runner.
   */
  private void drive(String id) {
    while (!Thread.currentThread().isInterrupted()) {
      new RolloutRunner(id, store, agents, fleet, retry).run();
      boolean[] done = {false};
      runners.compute(
          id,
          (key, self) -> {
            if (store.get(id).state().terminal()) {
              done[0] = true;
              return null;
            }
            return self;
          });
      if (done[0]) {
        return;
      }
    }
  }

  /** Stops the runners (their state stays durable) and closes the agent channels. */
  @Override
  public void close() {
    closed = true;
    stopRunners();
    agents.close();
  }

  private void stopRunners() {
    for (Thread t : runners.values()) {
      t.interrupt();
    }
    for (Thread t : runners.values()) {
      try {
        t.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    runners.values().removeIf(t -> !t.isAlive());
  }
}
