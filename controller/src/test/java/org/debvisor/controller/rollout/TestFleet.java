package org.debvisor.controller.rollout;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.debvisor.agent.Agent;
import org.debvisor.agent.enrol.LinkOptions;
import org.debvisor.agent.enrol.Sleeper;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.server.Controller;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeRecord;

/**
 * A real controller (real clock, fixed loopback port so it can be restarted) and real agents
 * running in this JVM, each enrolled through RegisterNode and serving debvisor.Node over mutual TLS
 * on its own port. Each agent has a gate command {@code smoke} that passes or fails as the test
 * says. The agents share this machine's filesystem, so they share the bundle's one file ({@link
 * #bundle}); tests look at each agent's own state (its active version and history), not at file
 * contents.
 */
final class TestFleet implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * A new controller JVM (keys, database, gRPC) took more than 60 s to listen while other builds
   * kept the 2-core machine at a load of 25-35.
   */
  static final Duration PROCESS_START_WAIT = Duration.ofSeconds(180);

  final Path dir;
  final Path stateDir;
  final int port;
  SimpleMeterRegistry registry;
  Controller controller;
  private Process process;
  private ControllerConnection operator;
  final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Set<Integer> reservedPorts = new HashSet<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  TestFleet(Path dir) throws IOException {
    this(dir, UnaryOperator.identity());
  }

  /** A fleet whose controller runs with {@code settings} applied (PostgreSQL, a shared CA). */
  TestFleet(Path dir, UnaryOperator<ControllerSettings> settings) throws IOException {
    this.dir = dir;
    this.stateDir = dir.resolve("controller");
    this.port = reservePort();
    this.controllerAddresses = "127.0.0.1:" + port;
    this.settings = settings;
    startController();
  }

  private TestFleet(Path dir, Path stateDir, List<Integer> ports) throws IOException {
    this.dir = dir;
    this.stateDir = stateDir;
    this.port = ports.get(0);
    this.controllerAddresses = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    this.settings = UnaryOperator.identity();
    useOperatorOf(port, stateDir);
  }

  /**
   * Agents for controllers running elsewhere (processes on one database): each agent lists {@code
   * ports} in order and switches to the next when one fails; the operator calls the first, with the
   * token in {@code stateDir}.
   */
  static TestFleet forControllers(Path dir, Path stateDir, List<Integer> ports) throws IOException {
    return new TestFleet(dir, stateDir, ports);
  }

  /** Operator calls go to the controller on {@code otherPort} with its state directory's token. */
  void useOperatorOf(int otherPort, Path otherStateDir) throws IOException {
    if (operator != null) {
      operator.close();
    }
    operator =
        ControllerConnection.open(
            "127.0.0.1:" + otherPort,
            otherStateDir.resolve("pki/ca.pem"),
            Files.readString(otherStateDir.resolve("operator-token"), StandardCharsets.UTF_8)
                .strip());
  }

  // What agents put in controller.address: one controller, or several in order.
  private final String controllerAddresses;

  private final UnaryOperator<ControllerSettings> settings;

  /** The settings of this fleet's controller, with another state directory and a free port. */
  ControllerSettings settingsFor(Path otherStateDir) {
    return settings.apply(
        ControllerSettings.defaults(otherStateDir)
            .withListen("127.0.0.1", 0)
            .withHeartbeatInterval(Duration.ofSeconds(1))
            .withCluster("lab")
            .withBundleRoots(List.of(managed())));
  }

  void startController() throws IOException {
    registry = new SimpleMeterRegistry();
    controller =
        Controller.start(
            settings.apply(
                ControllerSettings.defaults(stateDir)
                    .withListen("127.0.0.1", port)
                    .withHeartbeatInterval(Duration.ofSeconds(1))
                    .withCluster("lab")
                    .withBundleRoots(List.of(managed()))),
            registry,
            Clock.systemUTC());
    operator =
        ControllerConnection.open(
            "127.0.0.1:" + port,
            stateDir.resolve("pki/ca.pem"),
            Files.readString(stateDir.resolve("operator-token"), StandardCharsets.UTF_8).strip());
  }

  void stopController() {
    operator.close();
    if (controller != null) {
      controller.close();
      controller = null;
    }
  }

  /**
   * Runs {@code debvisor controller serve} as its own JVM (this test's classpath) on the same port
   * and state directory instead of in this JVM; the in-process controller must be stopped.
   */
  void startControllerProcess() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "org.debvisor.controller.DebvisorMain",
                "controller",
                "serve",
                "--state-dir",
                stateDir.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--heartbeat-interval",
                "1s",
                "--rest-listen",
                "off",
                "--cluster",
                "lab",
                "--bundle-root",
                managed().toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("controller.log").toFile()))
            .start();
    try {
      await(
          "the controller process accepts connections",
          PROCESS_START_WAIT,
          () -> {
            if (!process.isAlive()) {
              throw new AssertionError("controller process exited: " + log());
            }
            try (java.net.Socket s = new java.net.Socket()) {
              s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
              return true;
            } catch (IOException e) {
              return false;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + " (process alive: " + process.isAlive() + "); its log:\n" + log(), e);
    }
    operator =
        ControllerConnection.open(
            "127.0.0.1:" + port,
            stateDir.resolve("pki/ca.pem"),
            Files.readString(stateDir.resolve("operator-token"), StandardCharsets.UTF_8).strip());
  }

  /** SIGKILL: no shutdown hook, no cleanup, as a power cut would leave it. */
  void killControllerProcess() throws InterruptedException {
    operator.close();
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the controller process did not die");
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("controller.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  ControllerGrpc.ControllerBlockingStub operator() {
    return operator.controller(60);
  }

  /** Starts and enrols agents {@code node-1..node-n}; {@code failingSmoke} fail their gate. */
  void addAgents(int n, List<String> failingSmoke) throws Exception {
    for (int i = 1; i <= n; i++) {
      String id = "node-" + i;
      agents.put(id, agent(id, failingSmoke.contains(id)));
    }
    await(
        "every agent enrolled and reported its address",
        () -> {
          List<NodeRecord> nodes = nodes();
          return nodes.size() == agents.size()
              && nodes.stream().allMatch(r -> r.hasLastStatus() && !r.getAgentAddress().isEmpty());
        });
  }

  private Agent agent(String id, boolean smokeFails) throws Exception {
    Path home = Files.createDirectories(dir.resolve(id));
    Path token = home.resolve("token");
    Files.writeString(
        token,
        operator()
                .createBootstrapToken(
                    CreateBootstrapTokenRequest.newBuilder()
                        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
                        .setHostname(id)
                        .build())
                .getToken()
            + "\n");
    int tls = reservePort();
    ConfigSettings config =
        new ConfigSettings(
            home.resolve("config"),
            List.of(Files.createDirectories(managed())),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("smoke", List.of(smokeFails ? "false" : "true")));
    AgentSettings settings =
        new AgentSettings(
            null,
            new GrpcSettings(List.of("127.0.0.1:0", "0.0.0.0:" + tls), null, null, null),
            new HttpSettings(""),
            null,
            null,
            config,
            null,
            null,
            new org.debvisor.agentapi.ControllerSettings(
                controllerAddresses,
                stateDir.resolve("pki/ca.pem"),
                token,
                home.resolve("pki"),
                "127.0.0.1:" + tls,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                "ceph"));
    HardwareFacts facts =
        HardwareFacts.newBuilder()
            .setArch("amd64")
            .setCpu(CpuFacts.newBuilder().setModel("test").setCores(2).setThreads(2))
            .setMemoryBytes(1L << 32)
            .setFingerprint("fp-" + id)
            .build();
    Agent agent =
        new Agent(
            settings,
            NodeIdentity.newBuilder()
                .setNodeId(id)
                .setHostname(id)
                .setArch("amd64")
                .setAgentVersion("test")
                .build(),
            List.of(),
            Clock.systemUTC(),
            new LinkOptions(() -> facts, new SplittableRandom(1), Sleeper.real(), true));
    agent.start();
    return agent;
  }

  Path managed() {
    return dir.resolve("managed");
  }

  /** A one-file bundle; {@code smoke} adds the gate command every agent has. */
  ConfigBundle bundle(String version, boolean smoke) {
    byte[] content = ("version=" + version + "\n").getBytes(StandardCharsets.UTF_8);
    HealthGate.Builder gate = HealthGate.newBuilder();
    if (smoke) {
      gate.addChecks(GateCheck.newBuilder().setCommand("smoke"));
    }
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath(managed().resolve("app.conf").toString())
                .setMode(0644)
                .setContent(ByteString.copyFrom(content))
                .setSha256(sha256(content)))
        .setGate(gate)
        .build();
  }

  private static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  List<NodeRecord> nodes() {
    return operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
  }

  /** The version the agent itself has active (asked on its loopback port). */
  String activeVersion(String node) {
    return node(node).getConfig(GetConfigRequest.getDefaultInstance()).getVersion();
  }

  /** The agent's own history of updates, newest first. */
  List<ConfigHistoryEntry> history(String node) {
    return node(node).configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesList();
  }

  /** Sends {@code bundle} to the node as the controller would, but outside any rollout. */
  void pushAsController(String node, ConfigBundle bundle) throws IOException {
    String address =
        nodes().stream()
            .filter(n -> n.getNodeId().equals(node))
            .findFirst()
            .orElseThrow()
            .getAgentAddress();
    try (MtlsAgentCalls calls =
        new MtlsAgentCalls(
            stateDir.resolve("pki/ca.pem"),
            stateDir.resolve("pki/controller-client.pem"),
            stateDir.resolve("pki/controller-client.key"))) {
      calls.updateConfig(
          address,
          org.debvisor.proto.UpdateConfigRequest.newBuilder()
              .setBundle(bundle)
              .setExpectedCurrentVersion(activeVersion(node))
              .build(),
          Duration.ofSeconds(30));
    }
  }

  NodeGrpc.NodeBlockingStub node(String node) {
    ManagedChannel channel = TestAgents.channel(agents.get(node));
    channels.add(channel);
    return NodeGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Waits until every node's heartbeat reports {@code version} as its configuration. */
  void awaitReported(String version) throws InterruptedException {
    await(
        "every node reports configuration " + version,
        () ->
            nodes().stream()
                .allMatch(n -> n.getLastStatus().getNode().getConfigVersion().equals(version)));
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, WAIT, condition);
  }

  /**
   * Polls {@code condition} until it holds or {@code limit} passes. A poll the busy controller does
   * not answer in time (DEADLINE_EXCEEDED, UNAVAILABLE) counts as "not yet", not as a failure.
   */
  static void await(String what, Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    StatusRuntimeException lastMiss = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED
            && e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        lastMiss = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited "
                + limit.toSeconds()
                + " s in vain for: "
                + what
                + (lastMiss == null ? "" : " (last poll: " + lastMiss.getStatus() + ")"));
      }
      Thread.sleep(50);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * A free port none of this fleet's processes was given before. An agent binds its TLS port only
   * once it has enrolled, so until then the kernel may hand the same free port out again, and two
   * agents would be told to serve on it (the second then serves loopback only).
   */
  private synchronized int reservePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int candidate = freePort();
      if (reservedPorts.add(candidate)) {
        return candidate;
      }
    }
    throw new IOException("no free port that this fleet has not handed out yet");
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    agents.values().forEach(Agent::close);
    if (process != null && process.isAlive()) {
      operator.close();
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } else if (controller != null) {
      stopController();
    } else if (operator != null) {
      operator.close();
    }
  }
}
