package org.debvisor.agent.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.Agent;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agent.settings.AgentSettings;
import org.debvisor.agent.settings.GrpcSettings;
import org.debvisor.agent.settings.HttpSettings;
import org.debvisor.proto.NodeIdentity;

/** Starts real agents on free loopback ports for tests. */
public final class TestAgents {

  private TestAgents() {}

  /** Settings listening on 127.0.0.1 with OS-chosen ports. */
  public static AgentSettings loopbackSettings(int maxInboundMessageBytes) {
    return new AgentSettings(
        null,
        new GrpcSettings(List.of("127.0.0.1:0"), null, maxInboundMessageBytes, null),
        new HttpSettings("127.0.0.1:0"),
        null,
        null);
  }

  /** Loopback settings with the given authorisation, rate limits and config settings. */
  public static AgentSettings loopbackSettings(
      org.debvisor.agent.settings.AuthSettings auth,
      org.debvisor.agent.settings.RateLimitSettings limits,
      org.debvisor.agent.settings.ConfigSettings config) {
    return new AgentSettings(
        null,
        new GrpcSettings(List.of("127.0.0.1:0"), null, null, null),
        new HttpSettings("127.0.0.1:0"),
        null,
        null,
        config,
        auth,
        limits);
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
