package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.UpdateConfigRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent process, killed with SIGKILL while it applies updates pushed over gRPC, then
 * restarted: every file belongs to one version, and that version is the one the agent reports.
 * (ApplyCrashTest does 50+ kills of the engine alone; this proves the agent wires recovery in.)
 */
class AgentCrashDuringUpdatesIT {

  private static final String TOKEN = "crash-test-token";
  // Every kill is checked the same way and each costs an agent start (~8 s in the loaded suite):
  // three prove the wiring; the slow suite (-Ddebvisor.slow=true) does 12.
  private static final int ITERATIONS = Boolean.getBoolean("debvisor.slow") ? 12 : 3;
  private static final String[] FILES = {"a.conf", "sub/b.conf", "c.conf"};

  @TempDir Path dir;

  @Test
  void killedMidApplyRestartsWithAllFilesFromOneVersion() throws Exception {
    Path managed = Files.createDirectories(dir.resolve("managed"));
    int port = freePort();
    Path config = writeConfig(managed, port);
    Random random = new Random(42);
    int sequence = 0;
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < ITERATIONS; i++) {
      Process agent = start(config);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        var stub = authorised(channel);
        ConfigState before = awaitReady(stub);
        verifyConsistent(managed, before.getVersion(), stub);
        // Push updates in the background and kill the agent at a random moment among them.
        String expected = before.getVersion();
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(400));
        while (System.nanoTime() < killAt) {
          String version = "v" + (++sequence);
          try {
            var r =
                stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .updateConfig(request(managed, version, expected));
            if (r.getResult() == ConfigResult.CONFIG_APPLIED) {
              expected = version;
            }
          } catch (io.grpc.StatusRuntimeException e) {
            break;
          }
        }
        // The next update is in flight when the kill lands.
        String inFlight = "v" + (++sequence);
        var call =
            NodeGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers()))
                .updateConfig(request(managed, inFlight, expected));
        Thread.sleep(random.nextInt(15));
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        outcomes.add(call.isDone() ? "done" : "interrupted");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    Process agent = start(config);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      var stub = authorised(channel);
      ConfigState last = awaitReady(stub);
      verifyConsistent(managed, last.getVersion(), stub);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(outcomes).hasSize(ITERATIONS);
  }

  /** Every managed file holds the active version's content, and history agrees. */
  private static void verifyConsistent(Path managed, String active, NodeGrpc.NodeBlockingStub stub)
      throws Exception {
    for (String name : FILES) {
      Path file = managed.resolve(name);
      if (active.isEmpty()) {
        assertThat(file).doesNotExist();
      } else {
        assertThat(Files.readString(file)).isEqualTo(content(name, active));
      }
    }
    assertThat(managed.toFile().list())
        .as("no staged or backup files left behind")
        .allMatch(n -> !n.startsWith(".debvisor"));
    var history = stub.configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesList();
    var lastApplied =
        history.stream().filter(e -> e.getResult() == ConfigResult.CONFIG_APPLIED).findFirst();
    assertThat(lastApplied.map(e -> e.getVersion()).orElse("")).isEqualTo(active);
  }

  private static String content(String name, String version) {
    return name + " of " + version + "\n";
  }

  private static UpdateConfigRequest request(Path managed, String version, String expected)
      throws Exception {
    ConfigBundle.Builder bundle = ConfigBundle.newBuilder().setVersion(version);
    for (String name : FILES) {
      byte[] bytes = content(name, version).getBytes(StandardCharsets.UTF_8);
      bundle.addFiles(
          ConfigFile.newBuilder()
              .setPath(managed.resolve(name).toString())
              .setMode(0644)
              .setContent(ByteString.copyFrom(bytes))
              .setSha256(
                  HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
    }
    return UpdateConfigRequest.newBuilder()
        .setBundle(bundle)
        .setExpectedCurrentVersion(expected)
        .build();
  }

  private static Metadata headers() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return headers;
  }

  private static NodeGrpc.NodeBlockingStub authorised(ManagedChannel channel) {
    return NodeGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers()));
  }

  private static ConfigState awaitReady(NodeGrpc.NodeBlockingStub stub)
      throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      try {
        return stub.withDeadlineAfter(1, TimeUnit.SECONDS)
            .getConfig(GetConfigRequest.getDefaultInstance());
      } catch (io.grpc.StatusRuntimeException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("agent did not answer within 30 s");
  }

  private Path writeConfig(Path managed, int port) throws Exception {
    String sha =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
    return Files.writeString(
        dir.resolve("agent.yaml"),
        String.join(
            "\n",
            "grpc:",
            "  listen: [\"127.0.0.1:" + port + "\"]",
            "http:",
            "  listen: \"\"",
            "collectors:",
            "  ceph: {enabled: false}",
            "  hypervisor: {enabled: false}",
            "  kubernetes: {enabled: false}",
            "config:",
            "  stateDir: " + dir.resolve("state"),
            "  allowedRoots: [\"" + managed + "\"]",
            "auth:",
            "  tokens: [{name: crash, sha256: " + sha + "}]",
            "rateLimits:",
            "  configPerCaller: {capacity: 100000, perSecond: 100000}",
            "  configGlobal: {capacity: 100000, perSecond: 100000}",
            "logging:",
            "  level: WARN",
            ""));
  }

  private Process start(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            System.getProperty("debvisor.shadedJar"),
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("agent.log").toFile()))
        .start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
