package org.debvisor.sim;

import java.nio.file.Path;
import java.time.Duration;

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
    FaultSettings faults) {

  public static final int MAX_AGENTS = 5000;
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

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
        FaultSettings.none());
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
        faults);
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
        next);
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
        faults);
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
        faults);
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
        faults);
  }

  /** The node id of the agent at {@code index} (from 0). */
  public String nodeId(int index) {
    return String.format("%s-%04d", namePrefix, index + 1);
  }
}
