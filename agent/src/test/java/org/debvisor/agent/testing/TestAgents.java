package org.debvisor.agent.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.Agent;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.agentapi.RateLimitSettings;
import org.debvisor.proto.NodeIdentity;

/** Starts real agents on free loopback ports, with state in temporary directories, for tests. */
public final class TestAgents {

  private TestAgents() {}

  /** Settings listening on 127.0.0.1 with OS-chosen ports. */
  public static AgentSettings loopbackSettings(int maxInboundMessageBytes) {
    return settings(
        new GrpcSettings(List.of("127.0.0.1:0"), null, maxInboundMessageBytes, null),
        null,
        null,
        null);
  }

  /** Loopback settings with the given authorisation, rate limits and config settings. */
  public static AgentSettings loopbackSettings(
      AuthSettings auth, RateLimitSettings limits, ConfigSettings config) {
    return settings(
        new GrpcSettings(List.of("127.0.0.1:0"), null, null, null), auth, limits, config);
  }

  /** Any gRPC settings; a null config gets a temporary state directory and allowed root. */
  public static AgentSettings settings(
      GrpcSettings grpc, AuthSettings auth, RateLimitSettings limits, ConfigSettings config) {
    return new AgentSettings(
        null,
        grpc,
        new HttpSettings("127.0.0.1:0"),
        null,
        null,
        config == null ? temporaryConfig(List.of(), List.of()) : config,
        auth,
        limits);
  }

  /**
   * Config settings in a fresh temporary directory: state in {@code state/}, one allowed root
   * {@code managed/}; services are "reloaded" by the given commands.
   */
  public static ConfigSettings temporaryConfig(List<String> allowedUnits, List<String> reload) {
    try {
      Path dir = Files.createTempDirectory("debvisor-agent-test");
      Path managed = Files.createDirectories(dir.resolve("managed"));
      return new ConfigSettings(
          dir.resolve("state"),
          List.of(managed),
          null,
          null,
          null,
          null,
          allowedUnits,
          reload.isEmpty() ? null : reload,
          reload.isEmpty() ? null : reload,
          null,
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Agent start(AgentSettings settings, List<Collector> collectors) throws Exception {
    Agent agent =
        new Agent(
            settings,
            NodeIdentity.newBuilder()
                .setNodeId("test-node")
                .setHostname("test-node")
                .setArch("amd64")
                .build(),
            collectors,
            Clock.systemUTC());
    agent.start();
    return agent;
  }

  public static ManagedChannel channel(Agent agent) {
    InetSocketAddress address = agent.grpcAddresses().get(0);
    return NettyChannelBuilder.forAddress(address).usePlaintext().build();
  }

  public static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
