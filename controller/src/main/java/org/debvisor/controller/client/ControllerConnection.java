package org.debvisor.controller.client;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;

/**
 * A TLS connection to a controller, trusting only the given CA file and sending the operator's
 * bearer token when one is given. Shared by every CLI that talks to the controller.
 */
public final class ControllerConnection implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final String bearerToken;
  private final String target;

  private ControllerConnection(ManagedChannel channel, String bearerToken, String target) {
    this.channel = channel;
    this.bearerToken = bearerToken;
    this.target = target;
  }

  /**
   * @param target {@code HOST:PORT} ({@code [v6]:PORT} for IPv6)
   * @param caFile PEM CA bundle the controller's certificate must chain to
   * @param bearerToken operator token, or null for calls that need none
   * @throws IOException when the target or CA file is unusable (the message says which)
   */
  public static ControllerConnection open(String target, Path caFile, String bearerToken)
      throws IOException {
    HostPort address = HostPort.parse(target);
    if (!Files.isReadable(caFile)) {
      throw new IOException(
          "CA file "
              + caFile
              + " is not readable; pass --ca-file (the controller's <stateDir>/pki/ca.pem)");
    }
    SslContext ssl;
    try {
      ssl = GrpcSslContexts.forClient().trustManager(caFile.toFile()).build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IOException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(address.host(), address.port())
            .sslContext(ssl)
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    return new ControllerConnection(channel, bearerToken, target);
  }

  /** A blocking stub with the bearer token and a deadline. */
  public ControllerGrpc.ControllerBlockingStub controller(long timeoutSeconds) {
    ControllerGrpc.ControllerBlockingStub stub =
        ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    return bearerToken == null ? stub : stub.withCallCredentials(new Bearer(bearerToken));
  }

  /** The address this connection goes to, for messages. */
  public String target() {
    return target;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Adds {@code authorization: Bearer <token>} to each call. */
  private static final class Bearer extends CallCredentials {
    private final String token;

    Bearer(String token) {
      this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token);
      applier.apply(headers);
    }
  }

  /** A parsed {@code HOST:PORT}. */
  public record HostPort(String host, int port) {

    /**
     * @throws IOException naming the expected form
     */
    public static HostPort parse(String text) throws IOException {
      String value = text == null ? "" : text.trim();
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new IOException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:5443)");
      }
      String host = value.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535 || host.isEmpty()) {
        throw new IOException(
            "'" + value + "' is not HOST:PORT with a port of 0-65535 (e.g. 127.0.0.1:5443)");
      }
      return new HostPort(host, port);
    }
  }
}
