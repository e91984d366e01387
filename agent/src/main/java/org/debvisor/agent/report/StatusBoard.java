package org.debvisor.agent.report;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Holds the latest reading of every subsystem and the node report assembled from them. Readers get
 * a prebuilt immutable report, so {@code Status} costs no work; the report is rebuilt only when a
 * reading arrives, and its revision moves only when state or details changed.
 */
public final class StatusBoard {

  private final Clock clock;
  private final List<Subsystem> order;
  private final List<Consumer<NodeStatus>> listeners = new CopyOnWriteArrayList<>();

  // Guarded by this.
  private final Map<Subsystem, SubsystemStatus> latest = new EnumMap<>(Subsystem.class);
  private NodeIdentity identity;
  private long revision;

  private volatile NodeStatus current;

  public StatusBoard(NodeIdentity identity, List<Subsystem> order, Clock clock) {
    this.identity = identity;
    this.order = List.copyOf(order);
    this.clock = clock;
    for (Subsystem s : order) {
      latest.put(
          s,
          SubsystemStatus.newBuilder()
              .setSubsystem(s)
              .setState(org.debvisor.proto.HealthState.HEALTH_UNKNOWN)
              .setMessage("not collected yet")
              .build());
    }
    this.current = assemble();
  }

  /** The latest report. */
  public NodeStatus current() {
    return current;
  }

  /** Records a subsystem reading; listeners hear about it when the content changed. */
  public void publish(SubsystemStatus reading) {
    NodeStatus report;
    boolean changed;
    synchronized (this) {
      SubsystemStatus previous = latest.put(reading.getSubsystem(), reading);
      changed = previous == null || !sameContent(previous, reading);
      if (changed) {
        revision++;
      }
      report = assemble();
      current = report;
    }
    if (changed) {
      listeners.forEach(l -> l.accept(report));
    }
  }

  /** Replaces the identity (e.g. after a configuration apply changed the config version). */
  public void updateIdentity(NodeIdentity newIdentity) {
    NodeStatus report;
    synchronized (this) {
      if (newIdentity.equals(identity)) {
        return;
      }
      identity = newIdentity;
      revision++;
      // The readings are unchanged, so their state and summary are taken over from the report in
      // place instead of being worked out again: every configuration update comes through here.
      report =
          current.toBuilder()
              .setNode(newIdentity)
              .setRevision(revision)
              .setGeneratedAt(timestamp(clock.instant()))
              .build();
      current = report;
    }
    listeners.forEach(l -> l.accept(report));
  }

  /** Calls {@code listener} with every report whose revision changed; returns the unsubscriber. */
  public Runnable subscribe(Consumer<NodeStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** True once every subsystem has had at least one collection attempt. */
  public boolean allCollectedOnce() {
    return current.getSubsystemsList().stream().allMatch(SubsystemStatus::hasCollectedAt);
  }

  private NodeStatus assemble() {
    List<SubsystemStatus> readings = order.stream().map(latest::get).toList();
    return NodeStatus.newBuilder()
        .setNode(identity)
        .setState(HealthSummary.overall(readings))
        .setSummary(HealthSummary.describe(readings))
        .setGeneratedAt(timestamp(clock.instant()))
        .setRevision(revision)
        .addAllSubsystems(readings)
        .build();
  }

  private static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }

  /** Equal apart from when and how long the reading took. */
  static boolean sameContent(SubsystemStatus a, SubsystemStatus b) {
    return withoutTiming(a).equals(withoutTiming(b));
  }

  private static SubsystemStatus withoutTiming(SubsystemStatus s) {
    return s.toBuilder().clearCollectedAt().clearLastSuccessAt().clearCollectionDuration().build();
  }
}
