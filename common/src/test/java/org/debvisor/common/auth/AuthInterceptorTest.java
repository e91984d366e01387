package org.debvisor.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.debvisor.common.digest.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Who the interceptor lets through, told apart by a real gRPC server (in-process) serving the
 * health service. Certificates come from real TLS sessions negotiated over loopback.
 */
class AuthInterceptorTest {

  private static final String CHECK = "grpc.health.v1.Health/Check";
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40_000);

  private final List<CallerIdentity> reached = new CopyOnWriteArrayList<>();

  /**
   * Whether the interceptor handed gRPC a listener, per call: it must, even for a refused call. A
   * refusal reaches the client before the interceptor returns, hence a queue to wait on.
   */
  private final BlockingQueue<Boolean> listenerGiven = new LinkedBlockingQueue<>();

  private final MutualTlsSessions tls = new MutualTlsSessions();
  private final Logger audit = (Logger) LoggerFactory.getLogger("debvisor.audit");
  private final ListAppender<ILoggingEvent> auditLines = new ListAppender<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void captureAudit() {
    auditLines.start();
    audit.addAppender(auditLines);
  }

  @AfterEach
  void releaseAudit() {
    audit.detachAppender(auditLines);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Starts a server whose connections come from PEER over the given TLS session (or none). */
  private void start(Set<String> protectedMethods, SSLSession session) throws Exception {
    AuthInterceptor auth =
        new AuthInterceptor(
            List.of(new OperatorToken("alice", Sha256.hex("alice-token"))),
            List.of("debvisor-controller"),
            protectedMethods);
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            reached.add(CallerIdentity.current());
            return next.startCall(call, headers);
          }
        };
    ServerInterceptor handedBack =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            ServerCall.Listener<Q> listener = auth.interceptCall(call, headers, next);
            listenerGiven.add(listener != null);
            return listener == null ? new ServerCall.Listener<>() {} : listener;
          }
        };
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new HealthStatusManager().getHealthService(), record, handedBack))
            .addTransportFilter(
                new ServerTransportFilter() {
                  @Override
                  public Attributes transportReady(Attributes attributes) {
                    Attributes.Builder b =
                        attributes.toBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, PEER);
                    if (session != null) {
                      b.set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session);
                    }
                    return b.build();
                  }
                })
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  private void check(String authorization) {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
    if (authorization != null) {
      Metadata headers = new Metadata();
      headers.put(AuthInterceptor.AUTHORIZATION, authorization);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    stub.check(HealthCheckRequest.getDefaultInstance());
  }

  private void assertRefused(String authorization, Status.Code code, String description) {
    assertThatThrownBy(() -> check(authorization))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(description);
            });
    assertThat(reached).as("calls that reached the service").isEmpty();
    assertThat(nextListenerGiven()).isTrue();
    assertThat(auditLines.list)
        .last()
        .satisfies(
            line -> {
              assertThat(line.getLevel()).isEqualTo(Level.WARN);
              assertThat(line.getFormattedMessage())
                  .startsWith("refused " + CHECK + " from " + PEER)
                  .contains(description)
                  .contains(code.name())
                  .doesNotContain("alice-token")
                  .doesNotContain("bob-token");
            });
  }

  private boolean nextListenerGiven() {
    try {
      Boolean given = listenerGiven.poll(30, TimeUnit.SECONDS);
      assertThat(given).as("the interceptor returned for the call").isNotNull();
      return given;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<String> auditMessages() {
    return auditLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aProtectedMethodWithoutCredentialsIsRefusedBeforeTheService() throws Exception {
    start(Set.of(CHECK), null);
    assertRefused(
        null,
        Status.Code.UNAUTHENTICATED,
        "Check needs an operator token (authorization: Bearer TOKEN) or a controller certificate");
  }

  @Test
  void aKnownBearerTokenIsTheCallersIdentity() throws Exception {
    start(Set.of(CHECK), null);
    check("Bearer alice-token");
    check("bearer   alice-token ");
    assertThat(reached)
        .containsExactly(
            new CallerIdentity("token:alice", true), new CallerIdentity("token:alice", true));
    assertThat(auditMessages())
        .containsExactly(
            "authorised " + CHECK + " for token:alice from " + PEER,
            "authorised " + CHECK + " for token:alice from " + PEER)
        .noneMatch(line -> line.contains("alice-token"));
  }

  @Test
  void anUnknownTokenOrAnotherSchemeIsRefusedEvenWhereNoneIsNeeded() throws Exception {
    start(Set.of(), null);
    assertRefused(
        "Bearer bob-token",
        Status.Code.UNAUTHENTICATED,
        "the bearer token is not one of this node's operator tokens (auth.tokens)");
    assertRefused(
        "Basic YWxpY2U6cHc=",
        Status.Code.UNAUTHENTICATED,
        "the authorization header must be 'Bearer TOKEN'");
    assertRefused(
        "Bearer", Status.Code.UNAUTHENTICATED, "the authorization header must be 'Bearer TOKEN'");
  }

  @Test
  void anUnprotectedMethodServesABarePeerUnderItsAddress() throws Exception {
    start(Set.of("debvisor.Node/UpdateConfig"), null);
    check(null);
    assertThat(reached).containsExactly(new CallerIdentity("peer:127.0.0.1", false));
    assertThat(auditMessages()).as("unprotected calls are not audited").isEmpty();
    assertThat(nextListenerGiven()).isTrue();
  }

  @Test
  void anAllowedControllerCertificateIsAuthenticated() throws Exception {
    start(Set.of(CHECK), tls.serverSessionWithClient("CN=debvisor-controller"));
    check(null);
    assertThat(reached).containsExactly(new CallerIdentity("cert:debvisor-controller", true));
  }

  @Test
  void anotherCertificateIsDeniedProtectedMethodsButNamedOnOthers() throws Exception {
    SSLSession intruder = tls.serverSessionWithClient("O=debvisor, CN=intruder");
    start(Set.of(CHECK), intruder);
    assertRefused(
        null,
        Status.Code.PERMISSION_DENIED,
        "certificate 'intruder' is not an allowed controller (auth.controllerNames)");
    stop();

    start(Set.of(), intruder);
    check(null);
    assertThat(reached).containsExactly(new CallerIdentity("cert:intruder", false));
  }

  @Test
  void aTokenTakesPrecedenceOverTheCertificate() throws Exception {
    start(Set.of(CHECK), tls.serverSessionWithClient("CN=intruder"));
    check("Bearer alice-token");
    assertThat(reached).containsExactly(new CallerIdentity("token:alice", true));
  }

  @Test
  void aCertificateWithoutCommonNameOrNoClientCertificateIsJustAPeer() throws Exception {
    start(Set.of(), tls.serverSessionWithClient("O=debvisor"));
    check(null);
    stop();
    start(Set.of(), tls.serverSessionWithoutClient());
    check(null);
    assertThat(reached)
        .containsExactly(
            new CallerIdentity("peer:127.0.0.1", false),
            new CallerIdentity("peer:127.0.0.1", false));
  }

  @Test
  void outsideACallTheIdentityIsLocalAndAnonymous() {
    assertThat(CallerIdentity.current()).isEqualTo(new CallerIdentity("local", false));
  }
}
