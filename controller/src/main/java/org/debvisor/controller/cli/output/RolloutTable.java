package org.debvisor.controller.cli.output;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.proto.Rollout;
import org.debvisor.proto.RolloutNodeState;

/** Rollouts for people: a listing, and one rollout's progress with its nodes. */
public final class RolloutTable {

  private RolloutTable() {}

  public static void list(List<Rollout> rollouts, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {"ID", "NAME", "VERSION", "STATE", "WAVE", "DONE/FAILED/PENDING", "CREATED"});
    for (Rollout r : rollouts) {
      rows.add(
          new String[] {
            r.getId(),
            r.getName(),
            r.getBundleVersion(),
            r.getState(),
            wave(r),
            progress(r),
            NodeTable.time(r.getCreatedAt())
          });
    }
    NodeTable.print(rows, out);
  }

  /** Progress view: state, wave, counts, gate countdown, reason, then one line per node. */
  public static void show(Rollout r, Instant now, PrintWriter out) {
    out.println("rollout " + r.getId() + " (" + r.getName() + "): " + r.getState());
    out.println(
        "  version "
            + r.getBundleVersion()
            + " to '"
            + r.getSelector()
            + "', canary "
            + r.getCanary()
            + ", waves "
            + r.getWavePercentsList().stream().map(p -> p + "%").toList()
            + ", max-unavailable "
            + r.getMaxUnavailable()
            + ", max-failures "
            + r.getMaxFailures());
    out.println("  " + wave(r) + "; nodes done/failed/pending: " + progress(r));
    if (r.hasGateUntil()) {
      long left =
          Math.max(
              0,
              Duration.between(now, Instant.ofEpochSecond(r.getGateUntil().getSeconds()))
                  .toSeconds());
      out.println("  gate decides in " + left + " s");
    }
    if (!r.getReason().isEmpty()) {
      out.println(
          "  reason: "
              + r.getReason()
              + (r.getTrippingNode().isEmpty() ? "" : " (tripped by " + r.getTrippingNode() + ")"));
    }
    if (r.getNodesCount() == 0) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NODE", "WAVE", "STATE", "PREVIOUS", "REASON"});
    for (RolloutNodeState n : r.getNodesList()) {
      rows.add(
          new String[] {
            n.getHostname(),
            n.getWave() == 0 ? "canary" : String.valueOf(n.getWave()),
            n.getState(),
            n.getPreviousVersion().isEmpty() ? "-" : n.getPreviousVersion(),
            n.getReason().isEmpty() ? "-" : n.getReason()
          });
    }
    NodeTable.print(rows, out);
  }

  private static String wave(Rollout r) {
    return r.getCurrentWave() == 0 ? "canary" : "wave " + r.getCurrentWave();
  }

  private static String progress(Rollout r) {
    Map<String, Integer> c = r.getNodeCountsMap();
    int done = c.getOrDefault("UPDATED", 0) + c.getOrDefault("ROLLED_BACK", 0);
    int failed =
        c.getOrDefault("FAILED", 0)
            + c.getOrDefault("UNREACHABLE", 0)
            + c.getOrDefault("ROLLBACK_FAILED", 0);
    int pending =
        c.getOrDefault("PENDING", 0)
            + c.getOrDefault("UPDATING", 0)
            + c.getOrDefault("ROLLING_BACK", 0);
    return done + "/" + failed + "/" + pending;
  }
}
