package org.debvisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agentapi.DurationParser;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.pki.CertificateAuthority;

/**
 * Writes agent configurations for the gRPC benchmarks and starts the agent as its .deb does (the
 * packaged JVM flags and environment), each agent's files kept apart under {@code work}.
 */
final class BenchAgent {

  /** Where an agent listens and whom it lets in. */
  record Listeners(
      int plainPort,
      int securePort,
      int httpPort,
      CertificateAuthority.KeyMaterial tls,
      Path clientCa,
      String token) {}

  private final Path work;
  private final Path agentJar;
  private final PackagedJvm jvm;
  private final String hypervisorUri;
  private final String address;

  BenchAgent(Path work, Path agentJar, PackagedJvm jvm, String hypervisorUri, String address) {
    this.work = work;
    this.agentJar = agentJar;
    this.jvm = jvm;
    this.hypervisorUri = hypervisorUri;
    this.address = address;
  }

  /**
   * An agent configuration; {@code clientCa} non-null in {@code listeners} makes its TLS listener
   * mutual TLS, {@code name} keeps a second agent's files apart from the first's, and {@code
   * systemInterval} (null: the default) sets how often the system collector publishes a report.
   */
  Path config(String name, Listeners listeners, Duration systemInterval) throws IOException {
    Path managed = Files.createDirectories(work.resolve("managed" + name));
    Path config = work.resolve("agent" + name + ".yaml");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "grpc:",
                "  listen: [\"127.0.0.1:"
                    + listeners.plainPort()
                    + "\", \""
                    + address
                    + ":"
                    + listeners.securePort()
                    + "\"]",
                "  tls:",
                "    certFile: " + listeners.tls().certificateFile(),
                "    keyFile: " + listeners.tls().keyFile(),
                listeners.clientCa() == null ? "" : "    clientCaFile: " + listeners.clientCa(),
                "http:",
                "  listen: \"127.0.0.1:" + listeners.httpPort() + "\"",
                "collectors:",
                "  ceph:",
                "    confFile: " + work.resolve("no-ceph.conf"),
                "  hypervisor:",
                "    uri: " + hypervisorUri,
                "  kubernetes:",
                "    kubeconfig: " + work.resolve("no-kubeconfig")));
    if (systemInterval != null) {
      String every = DurationParser.format(systemInterval);
      lines.addAll(List.of("  system:", "    interval: " + every, "    timeout: " + every));
    }
    lines.addAll(
        List.of(
            "config:",
            "  stateDir: " + work.resolve("state" + name),
            "  allowedRoots: [\"" + managed + "\"]",
            "auth:",
            "  tokens: [{name: bench, sha256: " + Sha256.hex(listeners.token()) + "}]",
            // On (their cost is part of the figure), but too high to refuse the load generator.
            "rateLimits:",
            "  statusPerCaller: {capacity: 100000000, perSecond: 100000000}",
            "  statusGlobal: {capacity: 100000000, perSecond: 100000000}",
            "logging:",
            "  level: WARN",
            ""));
    Files.writeString(config, String.join("\n", lines));
    return config;
  }

  /** Starts the agent with the packaged JVM flags and environment, plus {@code extraJvm}. */
  Process launch(Path config, List<String> extraJvm, String log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvm.options());
    cmd.addAll(extraJvm);
    cmd.addAll(List.of("-jar", agentJar.toString(), "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(log).toFile()));
    pb.environment().putAll(jvm.environment());
    return pb.start();
  }
}
