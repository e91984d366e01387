package org.debvisor.agent.enrol;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.debvisor.common.connect.ConnectionDiagnosis;
import org.debvisor.common.connect.ConnectionFailures;
import org.debvisor.common.error.Causes;

/** How the link reads a failed controller call: a refusal, and a one-line description. */
final class RpcErrors {

  private RpcErrors() {}

  static boolean refusal(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED;
  }

  /**
   * For a call to the controller at {@code target}: what failed in words when the connection did
   * (e.g. "UNAVAILABLE: connection to 10.0.0.1:5443 refused: ..."), else as {@link
   * #describe(Exception)}.
   */
  static String describe(Exception e, String target) {
    if (e instanceof StatusRuntimeException s
        && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
      // The exception's cause is the status's: the diagnosis reads the whole chain.
      Optional<ConnectionDiagnosis> diagnosis = ConnectionFailures.diagnose(s, target);
      if (diagnosis.isPresent()) {
        return "UNAVAILABLE: " + diagnosis.get().message();
      }
    }
    return describe(e);
  }

  /** e.g. "UNAVAILABLE: io exception (Connection refused: /10.0.0.1:5443)", on one line. */
  static String describe(Exception e) {
    if (!(e instanceof StatusRuntimeException s)) {
      return e.getMessage();
    }
    StringBuilder text = new StringBuilder(s.getStatus().getCode().name());
    if (s.getStatus().getDescription() != null) {
      text.append(": ").append(s.getStatus().getDescription());
    }
    Throwable cause = s.getStatus().getCause();
    Throwable root = cause == null ? null : Causes.root(cause);
    if (root != null && root.getMessage() != null) {
      text.append(" (").append(root.getMessage().lines().findFirst().orElse("")).append(')');
    }
    return text.toString();
  }
}
