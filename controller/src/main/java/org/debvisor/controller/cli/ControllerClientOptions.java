package org.debvisor.controller.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.client.ControllerConnection;
import picocli.CommandLine.Option;

/**
 * Options every command that calls the controller shares: where it is, which CA to trust and the
 * operator token. Defaults follow the controller's state directory so that on the controller host
 * no option is needed.
 */
final class ControllerClientOptions {

  static final String CONTROLLER_ENV = "DEBVISOR_CONTROLLER";
  static final String TOKEN_ENV = "DEBVISOR_TOKEN";
  static final String CA_FILE_ENV = "DEBVISOR_CA_FILE";
  static final String DEFAULT_CONTROLLER = "127.0.0.1:5443";

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      description = "Controller address (default: $DEBVISOR_CONTROLLER or 127.0.0.1:5443).")
  String controller;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Controller state directory for the default CA and token files (default:"
              + " $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
  Path stateDir;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "CA certificate to trust (default: $DEBVISOR_CA_FILE if set, else"
              + " <state-dir>/pki/ca.pem).")
  Path caFile;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Operator token file (default: $DEBVISOR_TOKEN if set, else <state-dir>/operator-token).")
  Path tokenFile;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Deadline for each call (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** Opens a connection that sends the operator token. */
  public ControllerConnection connect(Map<String, String> env) throws IOException {
    Path state = StateDirectory.resolve(stateDir, env);
    return ControllerConnection.open(target(env), caFile(env), token(state, env));
  }

  /** The controller's {@code HOST:PORT}: --controller, else $DEBVISOR_CONTROLLER, else local. */
  String target(Map<String, String> env) {
    if (controller != null) {
      return controller;
    }
    String fromEnv = env.get(CONTROLLER_ENV);
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_CONTROLLER : fromEnv;
  }

  /** The CA file to trust: --ca-file, else $DEBVISOR_CA_FILE, else the state directory's. */
  Path caFile(Map<String, String> env) {
    if (caFile != null) {
      return caFile;
    }
    return caFromEnv(env).orElse(StateDirectory.resolve(stateDir, env).resolve("pki/ca.pem"));
  }

  private static Optional<Path> caFromEnv(Map<String, String> env) {
    String fromEnv = env.get(CA_FILE_ENV);
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv));
  }

  private String token(Path state, Map<String, String> env) throws IOException {
    return operatorToken(
        tokenFile,
        state,
        env,
        "; pass --token-file, set $DEBVISOR_TOKEN, or run as the user that owns the controller's"
            + " state directory");
  }

  /**
   * The operator token: from {@code file} when given, else $DEBVISOR_TOKEN, else {@code
   * <state>/operator-token}.
   *
   * @param remedy what follows "operator token file F is not readable" in the error
   */
  static String operatorToken(Path file, Path state, Map<String, String> env, String remedy)
      throws IOException {
    if (file == null) {
      String fromEnv = env.get(TOKEN_ENV);
      if (fromEnv != null && !fromEnv.isBlank()) {
        return fromEnv.trim();
      }
    }
    Path path = file != null ? file : state.resolve("operator-token");
    if (!Files.isReadable(path)) {
      throw new IOException("operator token file " + path + " is not readable" + remedy);
    }
    return Files.readString(path, StandardCharsets.UTF_8).trim();
  }

  /** The per-call deadline in seconds. */
  public long timeoutSeconds() {
    return timeoutSeconds;
  }
}
