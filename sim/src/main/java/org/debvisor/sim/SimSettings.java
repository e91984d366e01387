package org.debvisor.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run a simulated fleet.
 *
 * @param controllerHost where the controller serves
 * @param controllerPort its gRPC port
 * @param caFile the controller's CA certificate (PEM), pinned for enrolment
 * @param agents how many agents, 1 to {@value #MAX_AGENTS}
 * @param namePrefix node ids and hostnames are {@code PREFIX-0001}, {@code PREFIX-0002}, …
 * @param listenHost address every agent's server binds (loopback by default)
 * @param heartbeatInterval time between heartbeats; null takes the controller's
 * @param enrolConcurrency agents enrolling at the same time
 * @param seed chooses which agents get the fleet's faults
 * @param faults faults spread over the fleet
 * @param osdsPerAgent Ceph OSDs each agent reports hosting (agent i hosts ids i*n .. i*n+n-1) and
 *     answers CheckOkToStop for; 0 for a fleet without Ceph
 */
public record SimSettings(
    String controllerHost,
    int controllerPort,
    Path caFile,
    int agents,
    String namePrefix,
    String listenHost,
    Duration heartbeatInterval,
    int enrolConcurrency,
    long seed,
    FaultSettings faults,
    int osdsPerAgent) {

  public static final int MAX_AGENTS = 5000;
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
  public static final int MAX_OSDS_PER_AGENT = 64;

  public SimSettings {
    if (agents < 1 || agents > MAX_AGENTS) {
      throw new IllegalArgumentException(
          "--agents must be between 1 and " + MAX_AGENTS + ", got " + agents);
    }
    if (controllerPort < 1 || controllerPort > 65535) {
      throw new IllegalArgumentException("controller port must be 1-65535, got " + controllerPort);
    }
    if (!namePrefix.matches("[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "name prefix '"
              + namePrefix
              + "' must be 1-42 characters of a-z, 0-9 and '-' (it starts every node id)");
    }
    if (heartbeatInterval != null
        && (heartbeatInterval.compareTo(Duration.ofMillis(100)) < 0
            || heartbeatInterval.compareTo(Duration.ofHours(1)) > 0)) {
      throw new IllegalArgumentException(
          "heartbeat interval must be between 100 ms and 1 h, got " + heartbeatInterval);
    }
    if (enrolConcurrency < 1 || enrolConcurrency > 64) {
      throw new IllegalArgumentException("enrol concurrency must be 1-64, got " + enrolConcurrency);
    }
    if (faults == null) {
      faults = FaultSettings.none();
    }
    if (osdsPerAgent < 0 || osdsPerAgent > MAX_OSDS_PER_AGENT) {
      throw new IllegalArgumentException(
          "--ceph-osds must be between 0 and "
              + MAX_OSDS_PER_AGENT
              + " per agent, got "
              + osdsPerAgent);
    }
  }

  /** Loopback agents, the controller's heartbeat interval, 4 enrolling at once, no faults. */
  public static SimSettings of(
      String controllerHost, int controllerPort, Path caFile, int agents, String namePrefix) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        "127.0.0.1",
        null,
        4,
        1,
        FaultSettings.none(),
        0);
  }

  public SimSettings withHeartbeatInterval(Duration interval) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        listenHost,
        interval,
        enrolConcurrency,
        seed,
        faults,
        osdsPerAgent);
  }

  public SimSettings withFaults(FaultSettings next) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        listenHost,
        heartbeatInterval,
        enrolConcurrency,
        seed,
        next,
        osdsPerAgent);
  }

  public SimSettings withSeed(long next) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        listenHost,
        heartbeatInterval,
        enrolConcurrency,
        next,
        faults,
        osdsPerAgent);
  }

  public SimSettings withListenHost(String host) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        host,
        heartbeatInterval,
        enrolConcurrency,
        seed,
        faults,
        osdsPerAgent);
  }

  public SimSettings withEnrolConcurrency(int next) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        listenHost,
        heartbeatInterval,
        next,
        seed,
        faults,
        osdsPerAgent);
  }

  /** Every agent hosts {@code n} Ceph OSDs (for trying ok-to-stop in rollouts). */
  public SimSettings withOsdsPerAgent(int n) {
    return new SimSettings(
        controllerHost,
        controllerPort,
        caFile,
        agents,
        namePrefix,
        listenHost,
        heartbeatInterval,
        enrolConcurrency,
        seed,
        faults,
        n);
  }

  /** The OSD ids the agent at {@code index} hosts. */
  public List<Integer> osdIds(int index) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < osdsPerAgent; i++) {
      ids.add(index * osdsPerAgent + i);
    }
    return List.copyOf(ids);
  }

  /** The node id of the agent at {@code index} (from 0). */
  public String nodeId(int index) {
    return String.format("%s-%04d", namePrefix, index + 1);
  }
}
