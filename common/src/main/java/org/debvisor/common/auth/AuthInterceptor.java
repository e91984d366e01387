package org.debvisor.common.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes who calls — a controller certificate accepted over mutual TLS, an operator's bearer
 * token, or else the bare network peer — and refuses protected methods to anyone else. Refusals are
 * logged for audit; tokens never are.
 */
public final class AuthInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Logger audit = LoggerFactory.getLogger("debvisor.audit");

  private final TokenRegistry tokens;
  // One identity per token holder, made once: a fresh name string per call was built and then
  // hashed again by the rate limiter's per-caller lookup on every call.
  private final Map<String, CallerIdentity> tokenHolders;
  private final Set<String> controllerNames;
  private final Set<String> protectedMethods;

  /**
   * @param tokens operators' bearer tokens, known by their SHA-256
   * @param controllerNames certificate common names of controllers allowed over mutual TLS
   * @param protectedMethods full method names (e.g. {@code debvisor.Node/UpdateConfig}) that need
   *     an authenticated caller
   */
  public AuthInterceptor(
      List<OperatorToken> tokens,
      Collection<String> controllerNames,
      Set<String> protectedMethods) {
    this.tokens = new TokenRegistry(tokens);
    this.tokenHolders =
        tokens.stream()
            .map(OperatorToken::name)
            .distinct()
            .collect(
                Collectors.toUnmodifiableMap(
                    name -> name, name -> new CallerIdentity("token:" + name, true)));
    this.controllerNames = Set.copyOf(controllerNames);
    this.protectedMethods = Set.copyOf(protectedMethods);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String header = headers.get(AUTHORIZATION);
    PeerName peerName = peerName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    Optional<String> certName = peerName.name();
    CallerIdentity identity;
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return refuse(
            call,
            Status.UNAUTHENTICATED,
            method,
            peer,
            "the authorization header must be 'Bearer TOKEN'");
      }
      Optional<String> holder = tokens.holderOf(header.substring(7).strip());
      if (holder.isEmpty()) {
        return refuse(
            call,
            Status.UNAUTHENTICATED,
            method,
            peer,
            "the bearer token is not one of this node's operator tokens (auth.tokens)");
      }
      identity = tokenHolders.get(holder.get());
    } else if (certName.isPresent()) {
      identity =
          new CallerIdentity(peerName.callerName(), controllerNames.contains(certName.get()));
    } else {
      identity = new CallerIdentity("peer:" + host(peer), false);
    }
    if (protectedMethods.contains(method) && !identity.authenticated()) {
      if (certName.isPresent()) {
        return refuse(
            call,
            Status.PERMISSION_DENIED,
            method,
            peer,
            "certificate '"
                + certName.get()
                + "' is not an allowed controller (auth.controllerNames)");
      }
      return refuse(
          call,
          Status.UNAUTHENTICATED,
          method,
          peer,
          method.substring(method.indexOf('/') + 1)
              + " needs an operator token (authorization: Bearer TOKEN) or a controller certificate");
    }
    if (protectedMethods.contains(method)) {
      audit.info("authorised {} for {} from {}", method, identity.name(), peer);
    }
    Context context = Context.current().withValue(CallerIdentity.CURRENT, identity);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, Status status, String method, SocketAddress peer, String why) {
    audit.warn("refused {} from {}: {} ({})", method, peer, why, status.getCode());
    call.close(status.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String host(SocketAddress peer) {
    return peer instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(peer);
  }

  /**
   * The CN of the verified client certificate, when the connection is mutual TLS. Worked out once
   * per TLS session and kept in it: without a client certificate the JDK answers by throwing, and
   * an exception with its stack trace on every call cost more than the rest of the call.
   */
  private static PeerName peerName(SSLSession session) {
    if (session == null) {
      return PeerName.NONE;
    }
    if (session.getValue(PeerName.SESSION_KEY) instanceof PeerName known) {
      return known;
    }
    PeerName found = PeerName.of(readCertificateName(session));
    session.putValue(PeerName.SESSION_KEY, found);
    return found;
  }

  private static Optional<String> readCertificateName(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(String.valueOf(rdn.getValue()));
        }
      }
      return Optional.empty();
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return Optional.empty();
    }
  }

  /**
   * A session's client certificate CN, or none, as kept in the session's application values, with
   * the caller name made from it once per session.
   */
  private record PeerName(Optional<String> name, String callerName) {
    static final String SESSION_KEY = "org.debvisor.peer-certificate-name";
    static final PeerName NONE = new PeerName(Optional.empty(), null);

    static PeerName of(Optional<String> name) {
      return name.map(n -> new PeerName(name, "cert:" + n)).orElse(NONE);
    }
  }
}
