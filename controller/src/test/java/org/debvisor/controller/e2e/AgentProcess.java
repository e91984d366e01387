package org.debvisor.controller.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real agent process (the shaded agent jar) with its own config, enrolling with a controller on
 * loopback. Plaintext gRPC on 127.0.0.1, TLS on the wildcard address (the agent serves TLS on every
 * non-loopback address) advertised as {@code advertiseHost}, metrics on 127.0.0.1.
 */
final class AgentProcess implements AutoCloseable {

  final String nodeId;
  final Path dir;
  final Path pkiDir;
  final int plainPort;
  final int tlsPort;
  final int httpPort;
  final String advertiseHost;
  private final Path log;
  private final Process process;

  private AgentProcess(
      String nodeId, Path dir, int plainPort, int tlsPort, int httpPort, String advertiseHost)
      throws IOException {
    this.nodeId = nodeId;
    this.dir = dir;
    this.pkiDir = dir.resolve("pki");
    this.plainPort = plainPort;
    this.tlsPort = tlsPort;
    this.httpPort = httpPort;
    this.advertiseHost = advertiseHost;
    this.log = dir.resolve("agent.log");
    Path config = writeConfig();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.process =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx128m",
                "-jar",
                agentJar().toString(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** Starts an agent for {@code nodeId} whose token file holds {@code token}. */
  static AgentProcess start(
      String nodeId, Path dir, String controller, Path caFile, String token, String advertiseHost)
      throws IOException {
    Files.createDirectories(dir);
    Files.copy(caFile, dir.resolve("controller-ca.pem"));
    Files.writeString(dir.resolve("bootstrap-token"), token + "\n");
    Files.writeString(dir.resolve("controller-address"), controller);
    return new AgentProcess(nodeId, dir, freePort(), freePort(), freePort(), advertiseHost);
  }

  static Path agentJar() {
    String jar = System.getProperty("debvisor.agentJar", "");
    if (jar.isEmpty() || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the agent's shaded jar '"
              + jar
              + "' is missing: build it with ./mvnw -B -pl agent -am package -DskipTests");
    }
    return Path.of(jar);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Path writeConfig() throws IOException {
    String controller = Files.readString(dir.resolve("controller-address")).strip();
    return Files.writeString(
        dir.resolve("agent.yaml"),
        String.join(
            "\n",
            "node:",
            "  id: " + nodeId,
            "  hostname: " + nodeId,
            "grpc:",
            "  listen: [\"127.0.0.1:" + plainPort + "\", \"0.0.0.0:" + tlsPort + "\"]",
            "http:",
            "  listen: \"127.0.0.1:" + httpPort + "\"",
            "collectors:",
            "  ceph: {enabled: false}",
            "  hypervisor: {enabled: false}",
            "  kubernetes: {enabled: false}",
            "config:",
            "  stateDir: " + dir.resolve("config"),
            "  allowedRoots: [\"" + dir.resolve("managed") + "\"]",
            "controller:",
            "  address: " + controller,
            "  caFile: " + dir.resolve("controller-ca.pem"),
            "  tokenFile: " + dir.resolve("bootstrap-token"),
            "  stateDir: " + pkiDir,
            "  advertiseAddress: " + advertiseHost + ":" + tlsPort,
            "  heartbeatInterval: 1s",
            "  retryMax: 1s",
            "  profile: ceph",
            "logging:",
            "  level: INFO",
            ""));
  }

  /** The value of a counter or gauge on the agent's /metrics, or -1 when absent. */
  double metric(String name) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return r.body()
          .lines()
          .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
