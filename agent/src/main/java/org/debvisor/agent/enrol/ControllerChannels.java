package org.debvisor.agent.enrol;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.settings.ListenAddress;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.tls.NodeTls;

/**
 * Opens TLS channels to the controller that trust only its CA: the pinned CA file for enrolment,
 * and mutual TLS with the node's own certificate afterwards. The system trust store is never used.
 * With several controller addresses, channels go to the current one until the caller moves on to
 * the next ({@link #next}). Used by the link's one thread.
 */
final class ControllerChannels {

  private final List<String> addresses;
  private final Path pinnedCaFile;
  private int current;

  ControllerChannels(List<String> addresses, Path pinnedCaFile) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no controller address");
    }
    addresses.forEach(ListenAddress::parse);
    this.addresses = List.copyOf(addresses);
    this.pinnedCaFile = pinnedCaFile;
  }

  /** The address channels go to now. */
  String current() {
    return addresses.get(current);
  }

  /** How many addresses there are to try. */
  int count() {
    return addresses.size();
  }

  /** Moves on to the next address (after the last: the first again). */
  void next() {
    current = (current + 1) % addresses.size();
  }

  /**
   * A channel for RegisterNode: server verified against the pinned CA, no client certificate.
   *
   * @throws IOException when the pinned CA file cannot be read
   */
  ManagedChannel enrolment() throws IOException {
    List<X509Certificate> pinned =
        Pem.certificates(Files.readString(pinnedCaFile, StandardCharsets.US_ASCII));
    SslContext ssl =
        GrpcSslContexts.forClient().trustManager(pinned.toArray(X509Certificate[]::new)).build();
    return channel(ssl);
  }

  /** A channel for renewal and heartbeats: the node's certificate, the controller's CA bundle. */
  ManagedChannel mutual(NodeTls tls) throws IOException {
    SslContext ssl =
        GrpcSslContexts.configure(SslContextBuilder.forClient())
            .keyManager(tls.keyManager())
            .trustManager(tls.trustManager())
            .build();
    return channel(ssl);
  }

  private ManagedChannel channel(SslContext ssl) {
    ListenAddress address = ListenAddress.parse(current());
    return NettyChannelBuilder.forAddress(address.host(), address.port())
        .sslContext(ssl)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }

  static void close(ManagedChannel channel) {
    if (channel == null) {
      return;
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
