package org.debvisor.common.connect;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.debvisor.common.error.Causes;

/**
 * Reads why a connection to a TLS server (the controller) failed from the exception chain the
 * client got (gRPC's UNAVAILABLE cause, or a socket's exception) and says it in words: which names
 * the certificate has when it does not name the dialled host, connection refused, certificate not
 * signed by the pinned CA, timeout, unknown host, not TLS. Used by the agent and the controller's
 * CLIs alike.
 */
public final class ConnectionFailures {

  /** How long the follow-up look at the server's certificate names may take. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private ConnectionFailures() {}

  /**
   * The diagnosis of {@code failure} when dialling {@code target} ({@code HOST:PORT}, {@code
   * [V6]:PORT}); empty when the target is not of that form or the failure is none of the known
   * ones. A failed gRPC call's exception may be given as it is: its cause is the status's.
   */
  public static Optional<ConnectionDiagnosis> diagnose(Throwable failure, String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || !target.substring(colon + 1).matches("\\d{1,5}")) {
      return Optional.empty();
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return diagnose(failure, host, Integer.parseInt(target.substring(colon + 1)));
  }

  /**
   * The diagnosis of {@code failure} when dialling {@code host}:{@code port}, or empty when the
   * chain shows none of the known failures. A name mismatch connects once more to read the names.
   */
  public static Optional<ConnectionDiagnosis> diagnose(Throwable failure, String host, int port) {
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    if (has(failure, "no subject alternative", "no name matching")) {
      List<String> names = ServerCertificateNames.read(host, port, PROBE_TIMEOUT);
      return Optional.of(
          new ConnectionDiagnosis(
              ConnectionDiagnosis.Kind.NAME_MISMATCH,
              "the controller certificate at "
                  + target
                  + (names.isEmpty()
                      ? " does not name " + host
                      : " names " + String.join(", ", names) + " but not " + host)
                  + " (add it with `controller serve --server-name "
                  + host
                  + "`, or dial one of the names it has)"));
    }
    if (find(failure, CertPathBuilderException.class) != null
        || find(failure, CertPathValidatorException.class) != null
        || has(failure, "unable to find valid certification path", "pkix path")) {
      return Optional.of(
          new ConnectionDiagnosis(
              ConnectionDiagnosis.Kind.UNTRUSTED_CERTIFICATE,
              "the certificate at "
                  + target
                  + " is not signed by the pinned CA (use the controller's own pki/ca.pem, and"
                  + " check that "
                  + target
                  + " is that controller)"));
    }
    if (find(failure, UnknownHostException.class) != null) {
      return Optional.of(
          new ConnectionDiagnosis(
              ConnectionDiagnosis.Kind.UNKNOWN_HOST,
              "the host name " + host + " does not resolve (check the controller address)"));
    }
    if (find(failure, ConnectException.class) != null && has(failure, "connection refused")) {
      return Optional.of(
          new ConnectionDiagnosis(
              ConnectionDiagnosis.Kind.REFUSED,
              "connection to "
                  + target
                  + " refused: nothing listens there (check the address and port, and that"
                  + " `debvisor controller serve` runs)"));
    }
    if (find(failure, SocketTimeoutException.class) != null
        || hasClass(failure, "ConnectTimeoutException")
        || has(failure, "connection timed out", "handshake timed out")) {
      return Optional.of(timeout(target));
    }
    if (hasClass(failure, "NotSslRecordException")
        || (find(failure, SSLException.class) != null
            && has(failure, "unsupported or unrecognized ssl message", "not an ssl/tls record"))) {
      return Optional.of(
          new ConnectionDiagnosis(
              ConnectionDiagnosis.Kind.NOT_TLS,
              "something answers at "
                  + target
                  + " but not with TLS (is it the controller's gRPC port? the default is 5443)"));
    }
    return Optional.empty();
  }

  /** The diagnosis for a call whose deadline passed before the controller answered. */
  public static ConnectionDiagnosis timeout(String target) {
    return new ConnectionDiagnosis(
        ConnectionDiagnosis.Kind.TIMEOUT,
        "no answer from "
            + target
            + " in time (a firewall dropping packets, a wrong address, or an overloaded"
            + " controller)");
  }

  private static boolean has(Throwable failure, String... fragments) {
    for (Throwable t : Causes.chain(failure)) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      for (String fragment : fragments) {
        if (message.contains(fragment)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasClass(Throwable failure, String simpleName) {
    for (Throwable t : Causes.chain(failure)) {
      // By name: Netty's exceptions may come shaded under another package.
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t : Causes.chain(failure)) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
