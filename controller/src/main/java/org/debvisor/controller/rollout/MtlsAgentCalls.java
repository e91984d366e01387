package org.debvisor.controller.rollout;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;

/**
 * Calls agents over mutual TLS with the controller's client certificate (CN debvisor-controller,
 * which agents accept for UpdateConfig by default), trusting only the controller's CA. One channel
 * per agent address, kept until close.
 */
public final class MtlsAgentCalls implements AgentCalls {

  private final SslContext ssl;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /**
   * @param caFile the controller's CA certificate (agents' server certificates chain to it)
   * @param certificateFile the controller's client certificate
   * @param keyFile its private key
   */
  public MtlsAgentCalls(Path caFile, Path certificateFile, Path keyFile) throws IOException {
    this.ssl =
        GrpcSslContexts.configure(
                SslContextBuilder.forClient()
                    .trustManager(caFile.toFile())
                    .keyManager(certificateFile.toFile(), keyFile.toFile()))
            .build();
  }

  @Override
  public NodeStatus status(String agentAddress, Duration deadline) {
    return NodeGrpc.newBlockingStub(channel(agentAddress))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .status(StatusRequest.getDefaultInstance());
  }

  @Override
  public UpdateConfigResponse updateConfig(
      String agentAddress, UpdateConfigRequest request, Duration deadline) {
    return NodeGrpc.newBlockingStub(channel(agentAddress))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .updateConfig(request);
  }

  @Override
  public CheckOkToStopResponse checkOkToStop(
      String agentAddress, CheckOkToStopRequest request, Duration deadline) {
    return NodeGrpc.newBlockingStub(channel(agentAddress))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .checkOkToStop(request);
  }

  private ManagedChannel channel(String address) {
    return channels.computeIfAbsent(
        address,
        a -> {
          int colon = a.lastIndexOf(':');
          String host = a.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          return NettyChannelBuilder.forAddress(host, Integer.parseInt(a.substring(colon + 1)))
              .sslContext(ssl)
              .build();
        });
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    channels.clear();
  }
}
