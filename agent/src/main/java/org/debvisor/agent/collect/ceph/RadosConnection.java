package org.debvisor.agent.collect.ceph;

import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import java.time.Duration;
import org.debvisor.agentapi.CephSettings;

/** A librados (rados-java) client connected to the monitors named in ceph.conf. */
final class RadosConnection implements AutoCloseable {

  private static final int EPERM = 1;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int ETIMEDOUT = 110;

  private final Rados rados;
  private final String client;
  private final String monitors;
  private final long commandTimeoutSeconds;

  private RadosConnection(Rados rados, String client, String monitors, long commandTimeout) {
    this.rados = rados;
    this.client = client;
    this.monitors = monitors;
    this.commandTimeoutSeconds = commandTimeout;
  }

  /**
   * Connects as {@code client.<clientId>}, giving up after the connect timeout.
   *
   * @throws LinkageError when librados2 (or JNA) cannot be loaded
   */
  static RadosConnection open(CephSettings settings) throws CephException {
    String client = "client." + settings.clientId();
    long connectSeconds = wholeSeconds(settings.connectTimeout());
    // Half the collector's budget, so that a silent monitor is reported as such by us rather
    // than as a bare timeout by the runner.
    long commandSeconds = wholeSeconds(settings.timeout().dividedBy(2));
    Rados rados = new Rados(settings.clientId());
    String monitors = "(not named in ceph.conf)";
    try {
      try {
        rados.confReadFile(settings.confFile().toFile());
        String monHost = rados.confGet("mon_host");
        monitors = monHost == null || monHost.isBlank() ? monitors : monHost;
      } catch (RadosException e) {
        throw new CephException(
            "cannot read Ceph configuration " + settings.confFile() + ": " + e.getMessage(), e);
      }
      configure(rados, settings, connectSeconds, commandSeconds);
      try {
        rados.connect();
      } catch (RadosException e) {
        throw connectFailure(e, settings, client, monitors, connectSeconds);
      }
      return new RadosConnection(rados, client, monitors, commandSeconds);
    } catch (CephException | RuntimeException e) {
      rados.shutDown();
      throw e;
    }
  }

  private static void configure(
      Rados rados, CephSettings settings, long connectSeconds, long commandSeconds)
      throws CephException {
    try {
      if (settings.keyringFile() != null) {
        rados.confSet("keyring", settings.keyringFile().toString());
      }
      // Defaults are 300 s and "forever": a dead monitor would hang every collection.
      rados.confSet("client_mount_timeout", Long.toString(connectSeconds));
      rados.confSet("rados_mon_op_timeout", Long.toString(commandSeconds));
      // Our exceptions carry the reason; librados' own stderr lines would only repeat it.
      rados.confSet("err_to_stderr", "false");
      rados.confSet("log_to_stderr", "false");
    } catch (RadosException e) {
      throw new CephException("cannot configure librados: " + e.getMessage(), e);
    }
  }

  private static CephException connectFailure(
      RadosException e, CephSettings settings, String client, String monitors, long seconds) {
    String keyring =
        settings.keyringFile() == null
            ? "librados' default keyrings"
            : settings.keyringFile().toString();
    String message =
        switch (Math.abs(e.getReturnValue())) {
          case ETIMEDOUT ->
              "cannot reach Ceph monitors %s within %ds as %s: %s"
                  .formatted(monitors, seconds, client, e.getMessage());
          case EACCES, EPERM ->
              ("Ceph monitors %s refused %s (permission denied): check that %s holds the"
                      + " client's current key")
                  .formatted(monitors, client, keyring);
          case ENOENT -> "no key for %s in %s: %s".formatted(client, keyring, e.getMessage());
          default ->
              "cannot connect to Ceph monitors %s as %s: %s"
                  .formatted(monitors, client, e.getMessage());
        };
    return new CephException(message, e);
  }

  /**
   * Runs one read-only monitor command and returns its output.
   *
   * @param name the command as an operator would type it after {@code ceph}, for messages
   * @param json the command in Ceph's JSON form, e.g. {@code {"prefix":"status","format":"json"}}
   */
  String monCommand(String name, String json) throws CephException {
    try {
      return rados.executeRadosMonCommand(new String[] {json}, "").getOutput();
    } catch (RadosException e) {
      throw failure(name, e);
    }
  }

  private CephException failure(String name, RadosException e) {
    String message =
        switch (Math.abs(e.getReturnValue())) {
          case ETIMEDOUT ->
              "Ceph monitors %s did not answer `ceph %s` within %ds: %s"
                  .formatted(monitors, name, commandTimeoutSeconds, e.getMessage());
          case EACCES, EPERM ->
              "%s may not run `ceph %s` (it needs mon 'allow r'): %s"
                  .formatted(client, name, e.getMessage());
          default ->
              "`ceph %s` failed on monitors %s: %s".formatted(name, monitors, e.getMessage());
        };
    return new CephException(message, e);
  }

  /**
   * Runs a monitor command whose refusal is an answer rather than a failure (e.g. {@code osd
   * ok-to-stop} answers EBUSY): a refusal with one of {@code answerCodes} comes back as Ceph's code
   * and words; any other failure is thrown as {@link #monCommand} throws it.
   */
  MonAnswer ask(String name, String json, int... answerCodes) throws CephException {
    try {
      return new MonAnswer(0, rados.executeRadosMonCommand(new String[] {json}, "").getOutput());
    } catch (RadosException e) {
      int code = Math.abs(e.getReturnValue());
      for (int answer : answerCodes) {
        if (code == answer) {
          return new MonAnswer(code, cephWords(e));
        }
      }
      throw failure(name, e);
    }
  }

  /**
   * Ceph's answer to a command.
   *
   * @param code 0 for success, else the positive errno Ceph refused with
   * @param text the command's output on success, Ceph's reason on refusal
   */
  record MonAnswer(int code, String text) {}

  // rados-java wraps Ceph's status line: "Error when executing Rados monitor commands: WORDS (-16)"
  private static String cephWords(RadosException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int colon = message.indexOf(": ");
    String words = colon < 0 ? message : message.substring(colon + 2);
    String suffix = " (" + e.getReturnValue() + ")";
    return words.endsWith(suffix) ? words.substring(0, words.length() - suffix.length()) : words;
  }

  @Override
  public void close() {
    rados.shutDown();
  }

  private static long wholeSeconds(Duration duration) {
    long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
