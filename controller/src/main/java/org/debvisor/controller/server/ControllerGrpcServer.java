package org.debvisor.controller.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.grpc.GrpcServers;
import org.debvisor.common.net.ListenFailure;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.proto.ControllerGrpc;

/**
 * The controller's gRPC endpoint: always TLS with the controller's server certificate; client
 * certificates are optional at the TLS layer (RegisterNode has none yet) but, when presented, must
 * chain to the controller's CA. Health and reflection (v1, v1alpha) sit beside the service.
 */
final class ControllerGrpcServer implements AutoCloseable {

  private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final String bindAddress;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  // Handlers block on SQLite and signing, so they run off the event loop on a bounded pool.
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
          Thread.ofPlatform().name("controller-rpc-", 0).daemon(true).factory());

  ControllerGrpcServer(
      String host,
      int port,
      CertificateAuthority.KeyMaterial serverMaterial,
      X509Certificate caCertificate,
      BindableService service,
      List<ServerInterceptor> interceptors)
      throws IOException {
    this.bindAddress = host + ":" + port;
    SslContext ssl;
    try {
      ssl =
          GrpcSslContexts.configure(
                  SslContextBuilder.forServer(
                      serverMaterial.certificateFile().toFile(), serverMaterial.keyFile().toFile()))
              .trustManager(caCertificate)
              .clientAuth(ClientAuth.OPTIONAL)
              .build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .sslContext(ssl)
            .executor(executor)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .maxInboundMetadataSize(16 * 1024)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(ServerInterceptors.intercept(service, interceptors))
            .addService(ServerInterceptors.intercept(health.getHealthService(), interceptors));
    GrpcServers.reflectionServices().forEach(builder::addService);
    this.server = builder.build();
  }

  /** Binds and marks the service SERVING. */
  void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      throw ListenFailure.of("gRPC", bindAddress, "--listen", e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(ControllerGrpc.SERVICE_NAME, ServingStatus.SERVING);
  }

  /** The bound address (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  @Override
  public void close() {
    health.enterTerminalState();
    GrpcServers.stop(List.of(server), Duration.ofSeconds(5));
    executor.shutdownNow();
  }
}
