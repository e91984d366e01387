package org.debvisor.agent.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.agent.collect.Collector;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/** A Kubernetes-slot collector whose reading the test switches, to drive report changes. */
public final class SwitchableCollector implements Collector {

  private final AtomicReference<SubsystemStatus> reading =
      new AtomicReference<>(state(HealthState.HEALTH_OK, "ready"));

  public static SubsystemStatus state(HealthState state, String message) {
    return SubsystemStatus.newBuilder()
        .setState(state)
        .setMessage(message)
        .setKubernetes(KubernetesDetails.newBuilder().setApiserverReady(true).setNodeName("n1"))
        .build();
  }

  public void set(HealthState state, String message) {
    reading.set(state(state, message));
  }

  @Override
  public Subsystem subsystem() {
    return Subsystem.SUBSYSTEM_KUBERNETES;
  }

  @Override
  public Duration interval() {
    return Duration.ofMillis(100);
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(5);
  }

  @Override
  public SubsystemStatus collect() {
    return reading.get();
  }
}
