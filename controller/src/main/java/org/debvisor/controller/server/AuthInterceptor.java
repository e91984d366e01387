package org.debvisor.controller.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.debvisor.controller.inventory.CertificateRepository;
import org.debvisor.controller.inventory.CertificateRow;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.pki.IssuedCertificate;
import org.debvisor.controller.pki.OperatorTokens;
import org.debvisor.proto.ControllerGrpc;

/**
 * Establishes the {@link Caller} per method: RegisterNode and health/reflection need nothing;
 * RenewCertificate and Heartbeat need a client certificate this CA issued to an active node (TLS
 * already checked the chain); every other Controller method needs the operator's bearer token.
 *
 * <p>A token that is not this controller's own costs a database lookup (another controller's may be
 * in the shared table), so wrong tokens are limited per source address: each one takes from the
 * source's bucket, a right one gives back what it took, and an empty bucket refuses with
 * RESOURCE_EXHAUSTED before the database is asked.
 */
final class AuthInterceptor implements ServerInterceptor {

  /** Which credential each method needs. */
  enum Requirement {
    NONE,
    NODE_CERTIFICATE,
    OPERATOR_TOKEN
  }

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Map<String, Requirement> NODE_OR_OPEN =
      Map.of(
          ControllerGrpc.getRegisterNodeMethod().getFullMethodName(), Requirement.NONE,
          ControllerGrpc.getRenewCertificateMethod().getFullMethodName(),
              Requirement.NODE_CERTIFICATE,
          ControllerGrpc.getHeartbeatMethod().getFullMethodName(), Requirement.NODE_CERTIFICATE);

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(AuthInterceptor.class);

  private final Database db;
  private final OperatorTokens operator;
  private final SourceBuckets wrongTokens;
  private final Counter limited;
  private final NodeRepository nodes = new NodeRepository();
  private final CertificateRepository certificates = new CertificateRepository();

  /**
   * @param wrongTokens how many wrong operator tokens a source may send at once and per second
   */
  AuthInterceptor(
      Database db,
      OperatorTokens operator,
      ControllerSettings.RateLimit wrongTokens,
      MeterRegistry registry) {
    this.db = db;
    this.operator = operator;
    this.wrongTokens = new SourceBuckets(wrongTokens);
    this.limited =
        Counter.builder("debvisor.rate.limited")
            .description("operator calls refused after too many wrong tokens from their source")
            .tag("method", "OperatorToken")
            .register(registry);
  }

  static Requirement requirement(String fullMethodName) {
    Requirement known = NODE_OR_OPEN.get(fullMethodName);
    if (known != null) {
      return known;
    }
    return fullMethodName.startsWith(ControllerGrpc.SERVICE_NAME + "/")
        ? Requirement.OPERATOR_TOKEN
        : Requirement.NONE;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String source = source(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Caller caller;
    try {
      caller =
          switch (requirement(call.getMethodDescriptor().getFullMethodName())) {
            case NONE -> new Caller(Caller.Kind.ANONYMOUS, "anonymous", source, null);
            case OPERATOR_TOKEN -> operator(headers, source);
            case NODE_CERTIFICATE ->
                node(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION), source);
          };
    } catch (StatusRuntimeException e) {
      call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
      return new ServerCall.Listener<>() {};
    } catch (InventoryException e) {
      // The node lookup needs the database: out of reach means "retry", not "who are you".
      log.warn("inventory failure while authenticating {}: {}", source, e.getMessage());
      call.close(InventoryStatus.of(e).getStatus(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Caller.KEY, caller);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private Caller operator(Metadata headers, String source) {
    String header = headers.get(AUTHORIZATION);
    if (header == null || header.isEmpty()) {
      throw Errors.unauthenticated(
          "operator call without credentials: send 'authorization: Bearer <token>' with the"
              + " token from <stateDir>/operator-token");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Errors.unauthenticated("authorization header must be 'Bearer <operator token>'");
    }
    Bucket bucket = wrongTokens.of(source);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      limited.increment();
      throw wrongTokens.exhausted(
          "too many wrong operator tokens from " + source,
          probe.getNanosToWaitForRefill(),
          "; check the token (<stateDir>/operator-token of this controller or of another"
              + " controller on its database)");
    }
    boolean accepted;
    try {
      accepted = operator.accepts(header.substring(7));
    } catch (RuntimeException e) {
      bucket.addTokens(1); // the database's failure, not the caller's
      throw e;
    }
    if (!accepted) {
      throw Errors.unauthenticated(
          "operator token is wrong; use the one in <stateDir>/operator-token of this controller"
              + " or of another controller on its database");
    }
    bucket.addTokens(1);
    return new Caller(Caller.Kind.OPERATOR, "operator", source, null);
  }

  private Caller node(SSLSession session, String source) {
    X509Certificate cert = peerCertificate(session);
    String serial = IssuedCertificate.serialHex(cert);
    String cn = commonName(cert);
    // Only the serial and node ids are looked up; the CA already verified the chain in TLS.
    return db.read(
        c -> {
          Optional<CertificateRow> issued = certificates.find(c, serial);
          if (issued.isEmpty() || !issued.get().nodeId().equals(cn)) {
            throw Errors.unauthenticated(
                "client certificate " + serial + " was not issued to a node by this controller");
          }
          Optional<NodeRow> node = nodes.find(c, cn);
          if (node.isEmpty()) {
            throw Errors.unauthenticated("node " + cn + " is not in the inventory");
          }
          if (node.get().state() == NodeState.ACTIVE && issued.get().revokedAt() != null) {
            throw Errors.denied(
                "client certificate "
                    + serial
                    + " of node "
                    + cn
                    + " was superseded at "
                    + issued.get().revokedAt()
                    + " (the node enrolled again); use its current certificate");
          }
          if (node.get().state() == NodeState.REVOKED) {
            throw Errors.denied(
                "node "
                    + cn
                    + " was revoked"
                    + (node.get().revokedAt() == null ? "" : " at " + node.get().revokedAt())
                    + (node.get().revokedReason().isEmpty()
                        ? ""
                        : " (" + node.get().revokedReason() + ")")
                    + "; its certificates are refused");
          }
          return new Caller(
              Caller.Kind.NODE,
              cn,
              source,
              cert.getNotAfter().toInstant(),
              subjectAlternativeNames(cert));
        });
  }

  private static X509Certificate peerCertificate(SSLSession session) {
    if (session == null) {
      throw Errors.unauthenticated("this call needs TLS with the node's client certificate");
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
        return x509;
      }
    } catch (SSLPeerUnverifiedException e) {
      // fall through: no certificate presented
    }
    throw Status.UNAUTHENTICATED
        .withDescription(
            "this call needs the node's client certificate (mutual TLS); enrol with RegisterNode"
                + " first")
        .asRuntimeException();
  }

  /** The DNS names (type 2) and IP addresses (type 7) the certificate names. */
  static List<String> subjectAlternativeNames(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (List<?> san : sans) {
        if (san.size() == 2
            && san.get(1) instanceof String value
            && (Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0)))) {
          out.add(value);
        }
      }
      return out;
    } catch (CertificateParsingException e) {
      throw Errors.unauthenticated(
          "client certificate's subject alternative names cannot be read: " + e.getMessage());
    }
  }

  private static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      // fall through
    }
    throw Errors.unauthenticated("client certificate has no common name");
  }

  static String source(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return address == null ? "unknown" : address.toString();
  }
}
