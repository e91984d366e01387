package org.debvisor.controller.preseed;

import java.util.List;
import org.debvisor.controller.node.AgentEnrolment;

/**
 * The shell command an installer runs to report a phase to the controller ({@code POST
 * /api/v1/install/progress} with the node's bootstrap token), for the preseed's early and late
 * commands. Best effort by design: short timeouts, one try, always exit status 0, so an unreachable
 * controller never stops or slows an install. It only sends through a client that checks the
 * controller's certificate against the CA on the media (curl, GNU wget, or the new system's wget
 * once it exists), never without: the token must not leak to whoever answers.
 *
 * @param url the controller's install progress URL
 * @param caFile the controller's CA certificate in the installer environment
 * @param token the node's bootstrap token
 * @param hostname the node's hostname
 * @param arch the node's Debian architecture
 */
public record InstallReporter(
    String url, String caFile, String token, String hostname, String arch) {

  /** The port of the controller's HTTPS API unless configured otherwise ({@code --rest-listen}). */
  public static final int DEFAULT_API_PORT = 8443;

  public static final String PATH = "/api/v1/install/progress";

  // Arguments: URL CA TOKEN HOSTNAME ARCH PHASE MESSAGE. The message keeps only characters that
  // need no escaping in JSON or the shell; no backslash anywhere, debconf keeps the line as is.
  private static final String PROGRAM =
      "u=$1; ca=$2; t=$3; h=$4; a=$5; p=$6;"
          + " m=$(printf %s \"$7\" | tr -cd 'A-Za-z0-9 ._:/=,()+@-' | cut -c1-400);"
          + " b=$(printf '{\"phase\":\"%s\",\"message\":\"%s\",\"hostname\":\"%s\",\"arch\":\"%s\"}'"
          + " \"$p\" \"$m\" \"$h\" \"$a\");"
          + " hdr=\"Authorization: Bearer $t\"; ct='Content-Type: application/json';"
          + " if command -v curl >/dev/null 2>&1; then"
          + " curl -sS -o /dev/null --connect-timeout 3 --max-time 5 --cacert \"$ca\""
          + " -H \"$hdr\" -H \"$ct\" --data-binary \"$b\" \"$u\";"
          + " elif wget --version 2>/dev/null | grep -q 'GNU Wget'; then"
          + " wget -q -O /dev/null -T 5 -t 1 --ca-certificate=\"$ca\""
          + " --header=\"$hdr\" --header=\"$ct\" --post-data=\"$b\" \"$u\";"
          + " elif [ -x /target/usr/bin/wget ] && cp \"$ca\" /target/tmp/debvisor-ca.pem"
          + " 2>/dev/null; then"
          + " chroot /target wget -q -O /dev/null -T 5 -t 1"
          + " --ca-certificate=/tmp/debvisor-ca.pem"
          + " --header=\"$hdr\" --header=\"$ct\" --post-data=\"$b\" \"$u\";"
          + " rm -f /target/tmp/debvisor-ca.pem;"
          + " else echo 'debvisor: no certificate-checking HTTPS client here;"
          + " install progress not reported' >&2; fi; exit 0";

  /** The reporter for a node that enrols. */
  public static InstallReporter of(
      AgentEnrolment agent, String caFile, String hostname, String arch) {
    return new InstallReporter(urlFor(agent), caFile, agent.token(), hostname, arch);
  }

  /** The progress URL of the controller a node enrols with: its host, the API's default port. */
  public static String urlFor(AgentEnrolment agent) {
    String controller = agent.controller();
    String host = controller.substring(0, controller.lastIndexOf(':'));
    return "https://" + host + ":" + DEFAULT_API_PORT + PATH;
  }

  /** The command that reports {@code phase} with {@code message}. */
  public String command(String phase, String message) {
    return ShellQuoting.command(
        List.of(
            "sh", "-c", PROGRAM, "dv-report", url, caFile, token, hostname, arch, phase, message));
  }

  /**
   * {@code commands} wrapped in reports: configuring before them, finished after them, failed (and
   * the exit status of a failure) when one of them fails.
   */
  public String around(String commands) {
    String body = commands.isEmpty() ? "true" : commands;
    return command("configuring", "late_command started")
        + "; "
        + body
        + " && "
        + command("finished", "late_command done")
        + " || { "
        + command("failed", "late_command failed; see /var/log/installer/syslog on the node")
        + "; false; }";
  }
}
