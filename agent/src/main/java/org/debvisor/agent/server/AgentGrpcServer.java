package org.debvisor.agent.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.settings.ListenAddress;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.TlsSettings;
import org.debvisor.common.grpc.GrpcServers;
import org.debvisor.common.grpc.MalformedRequestGuard;
import org.debvisor.common.net.ListenFailure;
import org.debvisor.common.pem.JdkPem;
import org.debvisor.common.tls.NodeTls;
import org.debvisor.proto.NodeGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's gRPC endpoint: plaintext on loopback addresses, TLS on every other address, with
 * health and server reflection (v1 and v1alpha) beside the services. TLS uses the grpc.tls files
 * when configured (mTLS when a client CA is set); otherwise the certificate issued at enrolment,
 * always with client certificates required from the controller's CA, served from the moment the
 * node has one and renewed in place.
 */
public final class AgentGrpcServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentGrpcServer.class);

  private final GrpcSettings settings;
  private final List<ServerServiceDefinition> services;
  private final HealthStatusManager health = new HealthStatusManager();

  /**
   * Event loops serving calls. Netty's default is two per core (128 on a 64-core node) for a daemon
   * that answers from memory next to Ceph OSDs and VMs; two loops already keep two cores busy under
   * load (h2load) and leave the rest of a big node to its real work.
   */
  static final int WORKER_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

  private final ServerTransport transport = ServerTransport.best();
  private final EventLoopGroup boss = transport.loops(1, "agent-grpc-accept");
  private final EventLoopGroup workers = transport.loops(WORKER_THREADS, "agent-grpc");
  private final List<Server> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final NodeTls nodeTls;
  private final List<SocketAddress> deferred = new ArrayList<>();
  private boolean closed;

  public AgentGrpcServer(
      GrpcSettings settings, List<BindableService> services, List<ServerInterceptor> interceptors) {
    this(settings, services, interceptors, null);
  }

  /** Requests parsed inside the interceptors, so a malformed one meets MalformedRequestGuard. */
  private static ServerServiceDefinition guarded(
      ServerServiceDefinition service, List<ServerInterceptor> interceptors) {
    return ServerInterceptors.intercept(
        MalformedRequestGuard.parsedInInterceptors(service), interceptors);
  }

  /**
   * @param nodeTls the enrolment identity for non-loopback addresses when grpc.tls is not
   *     configured; null when the agent does not enrol
   */
  public AgentGrpcServer(
      GrpcSettings settings,
      List<BindableService> services,
      List<ServerInterceptor> interceptors,
      NodeTls nodeTls) {
    this.settings = settings;
    this.nodeTls = nodeTls;
    List<ServerServiceDefinition> all = new ArrayList<>();
    for (BindableService service : services) {
      all.add(guarded(service.bindService(), interceptors));
    }
    all.add(guarded(health.getHealthService().bindService(), interceptors));
    all.addAll(GrpcServers.reflectionServices());
    this.services = List.copyOf(all);
  }

  /**
   * Binds every configured address; loopback ones on one plaintext server, the rest on one TLS
   * server.
   *
   * @throws IOException when an address cannot be bound (in use, not local)
   */
  public void start() throws IOException {
    List<SocketAddress> plain = new ArrayList<>();
    List<SocketAddress> secure = new ArrayList<>();
    for (String text : settings.listen()) {
      ListenAddress address = ListenAddress.parse(text);
      (address.isLoopback() ? plain : secure).add(address.resolve());
    }
    // Settings validation already refused non-loopback addresses without TLS or enrolment. Load
    // the TLS material before binding anything, so a bad key leaves no half-started server behind.
    boolean fromFiles = settings.tls().configured() || nodeTls == null;
    SslContext ssl = secure.isEmpty() || !fromFiles ? null : sslContext(settings.tls());
    try {
      if (!plain.isEmpty()) {
        servers.add(build(plain, null).start());
      }
      if (!secure.isEmpty() && fromFiles) {
        servers.add(build(secure, ssl).start());
      }
    } catch (IOException e) {
      close();
      throw ListenFailure.of("gRPC", String.join(", ", settings.listen()), "grpc.listen", e);
    }
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(
        NodeGrpc.SERVICE_NAME, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    log.info("gRPC listening on {} (plaintext: {}, TLS: {})", boundAddresses(), plain, secure);
    if (!secure.isEmpty() && !fromFiles) {
      synchronized (this) {
        deferred.addAll(secure);
      }
      nodeTls.onUpdate(c -> serveEnrolled());
      if (nodeTls.current().isPresent()) {
        serveEnrolled();
      } else {
        log.info("TLS on {} starts once this node has enrolled with the controller", secure);
      }
    }
  }

  /**
   * Starts the mTLS listener on the non-loopback addresses with the enrolment certificate; does
   * nothing when it already runs. Later renewals need no restart: each handshake asks {@link
   * NodeTls} for the current certificate.
   */
  private synchronized void serveEnrolled() {
    if (closed || deferred.isEmpty()) {
      return;
    }
    try {
      SslContext ssl =
          GrpcSslContexts.configure(SslContextBuilder.forServer(nodeTls.keyManager()))
              .trustManager(nodeTls.trustManager())
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      servers.add(build(deferred, ssl).start());
      log.info("gRPC mutual TLS with the enrolment certificate on {}", deferred);
      deferred.clear();
    } catch (IOException | RuntimeException e) {
      log.error(
          "cannot serve mutual TLS on {}: {}; only loopback is served",
          deferred,
          ListenFailure.rootMessage(e));
    }
  }

  private Server build(List<SocketAddress> addresses, SslContext ssl) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(addresses.get(0))
            .channelType(transport.channelType())
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            // Handlers answer from memory and never block, so they run on the event loop.
            .directExecutor()
            .maxInboundMessageSize(settings.maxInboundMessageBytes())
            .maxInboundMetadataSize(16 * 1024)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true);
    for (SocketAddress extra : addresses.subList(1, addresses.size())) {
      builder.addListenAddress(extra);
    }
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    services.forEach(builder::addService);
    return builder.build();
  }

  private static SslContext sslContext(TlsSettings tls) throws IOException {
    try {
      // JDK key objects rather than files: Netty's own PEM reading loads Bouncy Castle's provider.
      SslContextBuilder builder =
          GrpcSslContexts.configure(
              SslContextBuilder.forServer(
                  JdkPem.privateKey(Files.readString(tls.keyFile(), StandardCharsets.US_ASCII)),
                  certificates(tls.certFile())));
      if (tls.clientCaFile() != null) {
        builder.trustManager(certificates(tls.clientCaFile())).clientAuth(ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "cannot load TLS material from grpc.tls ("
              + tls.certFile()
              + ", "
              + tls.keyFile()
              + (tls.clientCaFile() == null ? "" : ", " + tls.clientCaFile())
              + "): "
              + (e instanceof FileSystemException unreadable
                  ? "cannot read "
                      + unreadable.getFile()
                      + " ("
                      + e.getClass().getSimpleName()
                      + ")"
                  : ListenFailure.rootMessage(e)),
          e);
    }
  }

  private static X509Certificate[] certificates(Path file) throws IOException {
    return JdkPem.certificates(Files.readString(file, StandardCharsets.US_ASCII))
        .toArray(X509Certificate[]::new);
  }

  /** The actual bound addresses (ports resolved when 0 was configured). */
  public List<InetSocketAddress> boundAddresses() {
    List<InetSocketAddress> bound = new ArrayList<>();
    for (Server server : servers) {
      server.getListenSockets().forEach(a -> bound.add((InetSocketAddress) a));
    }
    return bound;
  }

  /** Marks health NOT_SERVING, then stops accepting and waits briefly for calls in flight. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    health.enterTerminalState();
    GrpcServers.stop(servers, Duration.ofSeconds(5));
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
