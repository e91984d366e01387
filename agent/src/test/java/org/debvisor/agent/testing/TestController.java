package org.debvisor.agent.testing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RenewCertificateRequest;
import org.debvisor.proto.RenewCertificateResponse;

/**
 * A stand-in for the DebVisor controller with real PKI: a Bouncy Castle CA it creates, a TLS
 * listener on 127.0.0.1 (client certificates optional, as RegisterNode needs none), single-use
 * bootstrap tokens, CSRs verified and signed. It records what agents send.
 */
public final class TestController implements AutoCloseable {

  private static final Context.Key<SSLSession> SESSION = Context.key("tls-session");
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private final KeyPair caKeys = TestPki.ec();
  private final X509Certificate ca;
  private final TestPki.Issued serverIdentity;
  private final Set<String> tokens = new HashSet<>();
  private final List<RegisterNodeRequest> registrations = new CopyOnWriteArrayList<>();
  private final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
  private final List<String> renewedFor = new CopyOnWriteArrayList<>();
  private volatile Duration certificateLifetime = Duration.ofDays(1);
  private volatile com.google.protobuf.Duration renewBefore;
  private volatile boolean askForRenewal;
  private volatile boolean revoked;
  private Server server;
  private int port;

  public TestController() {
    this.ca =
        sign("DebVisor test controller CA", caKeys.getPublic(), true, null, Duration.ofDays(10));
    KeyPair serverKeys = TestPki.ec();
    this.serverIdentity =
        new TestPki.Issued(
            serverKeys,
            sign(
                "test-controller", serverKeys.getPublic(), false, "127.0.0.1", Duration.ofDays(1)));
  }

  /** Starts listening on 127.0.0.1; on a restart, on the same port as before. */
  public synchronized TestController start() throws IOException {
    var ssl =
        GrpcSslContexts.configure(
                SslContextBuilder.forServer(
                    serverIdentity.keys().getPrivate(), serverIdentity.certificate()))
            .trustManager(ca)
            .clientAuth(ClientAuth.OPTIONAL)
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .sslContext(ssl)
            .addService(ServerInterceptors.intercept(new Service(), new SessionInterceptor()))
            .build()
            .start();
    port = server.getPort();
    return this;
  }

  /** Stops listening (the controller is "down"). */
  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server = null;
    }
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Writes the CA certificate, as provisioning pins it on a node. */
  public Path writeCa(Path file) throws IOException {
    return Files.writeString(file, TestPki.pem(ca));
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A new single-use bootstrap token. */
  public synchronized String createToken() {
    String token = "bt-" + Long.toHexString(SERIAL.incrementAndGet()) + "-secret";
    tokens.add(token);
    return token;
  }

  /** A client certificate signed by the controller CA (e.g. CN debvisor-controller). */
  public TestPki.Issued clientCertificate(String commonName) {
    KeyPair keys = TestPki.ec();
    return new TestPki.Issued(
        keys, sign(commonName, keys.getPublic(), false, null, Duration.ofDays(1)));
  }

  public void certificateLifetime(Duration lifetime) {
    this.certificateLifetime = lifetime;
  }

  public void renewBefore(Duration window) {
    this.renewBefore =
        com.google.protobuf.Duration.newBuilder().setSeconds(window.getSeconds()).build();
  }

  /** Refuses every node certificate from now on, as after {@code debvisor node revoke}. */
  public void revokeAll() {
    this.revoked = true;
  }

  public void askForRenewal(boolean ask) {
    this.askForRenewal = ask;
  }

  public List<RegisterNodeRequest> registrations() {
    return List.copyOf(registrations);
  }

  public List<HeartbeatRequest> heartbeats() {
    return List.copyOf(heartbeats);
  }

  /** Common names of the client certificates that renewed. */
  public List<String> renewals() {
    return List.copyOf(renewedFor);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private synchronized boolean consume(String token) {
    return tokens.remove(token);
  }

  private X509Certificate signCsr(byte[] der, String expectedName) {
    try {
      JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(der);
      if (!csr.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
        throw Status.INVALID_ARGUMENT.withDescription("CSR signature invalid").asRuntimeException();
      }
      var cn = csr.getSubject().getRDNs(BCStyle.CN);
      String name = cn.length == 0 ? "" : IETFUtils.valueToString(cn[0].getFirst().getValue());
      if (!name.equals(expectedName)) {
        throw Status.INVALID_ARGUMENT
            .withDescription("CSR names '" + name + "', expected '" + expectedName + "'")
            .asRuntimeException();
      }
      return sign(name, csr.getPublicKey(), false, "127.0.0.1", certificateLifetime);
    } catch (io.grpc.StatusRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw Status.INVALID_ARGUMENT.withDescription("bad CSR: " + e).asRuntimeException();
    }
  }

  private X509Certificate sign(
      String subject, PublicKey key, boolean isCa, String ipAddress, Duration lifetime) {
    try {
      Instant now = Instant.now();
      X500Name issuer =
          isCa ? new X500Name("CN=" + subject) : new X500Name("CN=DebVisor test controller CA");
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(lifetime)),
              new X500Name("CN=" + subject),
              key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (!isCa) {
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      }
      if (ipAddress != null) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, ipAddress)));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clientName() {
    SSLSession session = SESSION.get();
    if (session == null) {
      return null;
    }
    try {
      var leaf = (X509Certificate) session.getPeerCertificates()[0];
      var cn = new X500Name(leaf.getSubjectX500Principal().getName()).getRDNs(BCStyle.CN);
      return IETFUtils.valueToString(cn[0].getFirst().getValue());
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private final class Service extends ControllerGrpc.ControllerImplBase {

    @Override
    public void registerNode(
        RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> out) {
      if (!consume(request.getBootstrapToken())) {
        out.onError(
            Status.UNAUTHENTICATED
                .withDescription("bootstrap token is unknown, expired or already used")
                .asRuntimeException());
        return;
      }
      X509Certificate issued = signCsr(request.getCsrDer().toByteArray(), request.getNodeId());
      registrations.add(request);
      RegisterNodeResponse.Builder response =
          RegisterNodeResponse.newBuilder()
              .setCertificatePem(TestPki.pem(issued))
              .setCaBundlePem(TestPki.pem(ca))
              .setNodeId(request.getNodeId());
      if (renewBefore != null) {
        response.setRenewBefore(renewBefore);
      }
      out.onNext(response.build());
      out.onCompleted();
    }

    @Override
    public void renewCertificate(
        RenewCertificateRequest request, StreamObserver<RenewCertificateResponse> out) {
      String name = clientName();
      if (name == null) {
        out.onError(
            Status.UNAUTHENTICATED
                .withDescription("client certificate needed")
                .asRuntimeException());
        return;
      }
      X509Certificate issued = signCsr(request.getCsrDer().toByteArray(), name);
      renewedFor.add(name);
      out.onNext(
          RenewCertificateResponse.newBuilder()
              .setCertificatePem(TestPki.pem(issued))
              .setCaBundlePem(TestPki.pem(ca))
              .build());
      out.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
      if (clientName() == null) {
        out.onError(
            Status.UNAUTHENTICATED
                .withDescription("client certificate needed")
                .asRuntimeException());
        return;
      }
      if (revoked) {
        out.onError(
            Status.PERMISSION_DENIED
                .withDescription("node " + clientName() + " is revoked")
                .asRuntimeException());
        return;
      }
      heartbeats.add(request);
      out.onNext(HeartbeatResponse.newBuilder().setRenewCertificate(askForRenewal).build());
      out.onCompleted();
    }
  }

  /** Makes the call's TLS session available to the handlers. */
  private static final class SessionInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Context context =
          Context.current()
              .withValue(SESSION, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      return Contexts.interceptCall(context, call, headers, next);
    }
  }
}
