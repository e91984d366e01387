package org.debvisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.KillableController;

/**
 * Starts {@code controller serve} processes for the HA benchmarks the way the failover tests do
 * (KillableController), with the benchmark's heap: on SQLite, or on a shared PostgreSQL whose CA
 * the caller seeded.
 */
final class HaControllers {

  /** A loaded machine starts a controller JVM slowly; waiting for its operator answer. */
  static final Duration OPERATOR_WAIT = Duration.ofSeconds(180);

  private final List<String> jvm;
  private final String heartbeatInterval;

  /** {@code javaOptions}: given after the heap option, to every controller JVM. */
  HaControllers(String heap, List<String> javaOptions, String heartbeatInterval) {
    List<String> all = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx" + heap));
    all.addAll(javaOptions);
    this.jvm = List.copyOf(all);
    this.heartbeatInterval = heartbeatInterval;
  }

  String heapOption() {
    return jvm.get(1);
  }

  KillableController sqlite(Path state) throws Exception {
    return KillableController.start(
        state, KillableController.freePort(), jvm, common(new ArrayList<>()));
  }

  KillableController postgres(Path state, PostgresUrl url, Path passphrase, String leasePeriod)
      throws Exception {
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "--database-url",
            url.redacted(),
            "--ca-key-passphrase-file",
            passphrase.toString(),
            "--lease-period",
            leasePeriod));
    return KillableController.start(state, KillableController.freePort(), jvm, common(options));
  }

  private List<String> common(List<String> options) {
    options.addAll(
        List.of(
            "--heartbeat-interval",
            heartbeatInterval,
            // The per-address limit would refuse a load generator on one address: off for this.
            "--register-burst",
            "1000000",
            "--register-rate",
            "1000000"));
    return options;
  }

  /** A controller's cost over a measured stretch: cores, heap after a full GC, RSS. */
  record Footprint(String controller, double cores, long heapAfterGcBytes, long rssKib) {}

  /** CPU ticks of each controller now, to compare with after a run. */
  static long[] cpuTicks(List<KillableController> controllers) throws Exception {
    long[] ticks = new long[controllers.size()];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = LocalProcesses.cpuTicks(controllers.get(i).pid());
    }
    return ticks;
  }

  static List<Footprint> footprints(
      List<KillableController> controllers, long[] ticksBefore, double wallSeconds)
      throws Exception {
    List<Footprint> list = new ArrayList<>();
    for (int i = 0; i < controllers.size(); i++) {
      KillableController c = controllers.get(i);
      double cores = (LocalProcesses.cpuTicks(c.pid()) - ticksBefore[i]) / 100.0 / wallSeconds;
      list.add(
          new Footprint(
              c.target(),
              cores,
              LocalProcesses.heapAfterGc(c.pid()),
              LocalProcesses.rssKib(c.pid())));
    }
    return list;
  }
}
