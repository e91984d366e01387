package org.debvisor.agentapi;

import java.time.Duration;
import java.util.List;

/**
 * The gRPC endpoint.
 *
 * @param listen addresses as {@code host:port}; loopback ones serve plaintext, all others TLS
 * @param tls certificate and key for non-loopback addresses
 * @param maxInboundMessageBytes larger requests are refused with RESOURCE_EXHAUSTED
 * @param watchHeartbeat default interval after which WatchStatus repeats an unchanged report
 */
public record GrpcSettings(
    List<String> listen, TlsSettings tls, Integer maxInboundMessageBytes, Duration watchHeartbeat) {

  public static final int DEFAULT_PORT = AgentPorts.GRPC;

  /**
   * The default port on loopback (plaintext, for local grpcurl) and, when {@code nodeAddress} is
   * not empty, on that address too (TLS).
   *
   * @param nodeAddress the node's own IP address, or "" for loopback only
   */
  public static GrpcSettings servingOn(String nodeAddress) {
    if (nodeAddress.isEmpty()) {
      return new GrpcSettings(null, null, null, null);
    }
    String host = nodeAddress.contains(":") ? "[" + nodeAddress + "]" : nodeAddress;
    return new GrpcSettings(
        List.of("127.0.0.1:" + DEFAULT_PORT, host + ":" + DEFAULT_PORT), null, null, null);
  }

  public GrpcSettings {
    listen = listen == null ? List.of("127.0.0.1:" + DEFAULT_PORT) : List.copyOf(listen);
    tls = tls == null ? new TlsSettings(null, null, null) : tls;
    maxInboundMessageBytes =
        maxInboundMessageBytes == null ? 4 * 1024 * 1024 : maxInboundMessageBytes;
    watchHeartbeat = watchHeartbeat == null ? Duration.ofSeconds(30) : watchHeartbeat;
  }
}
