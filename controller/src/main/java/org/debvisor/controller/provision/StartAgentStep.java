package org.debvisor.controller.provision;

import org.debvisor.agentapi.AgentPaths;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.SshException;

/**
 * Makes the agent run, restarting it when this run changed the package or its configuration. Under
 * systemd: enable and start (or restart) the unit. Where systemd is not the init (containers,
 * namespace test nodes), the installed unit's own ExecStartPre and ExecStart lines run under
 * start-stop-daemon with a pid file, so it is still the installed agent with its installed command
 * line.
 */
final class StartAgentStep implements ProvisionStep {

  static final String UNIT = "debvisor-agent.service";
  static final String PID_FILE = "/run/debvisor-agent.pid";
  static final String LOG_FILE = "/var/log/debvisor-agent.log";

  @Override
  public String name() {
    return "start-agent";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    boolean restart = node.agentChanged() || node.configChanged();
    String script = node.facts().systemd() ? systemdScript(restart) : supervisorScript(restart);
    ExecResult r = node.shell().run(script, node.plan().commandTimeout().multipliedBy(2));
    if (!r.ok()) {
      throw new StepFailedException(
          "cannot start the agent (exit " + r.exitCode() + ")",
          Packages.tail(r.stderr() + "\n" + r.stdout()));
    }
    String result = r.stdout().strip();
    String last = result.isEmpty() ? "" : result.substring(result.lastIndexOf('\n') + 1);
    return switch (last) {
      case "running" -> StepOutcome.unchanged("agent already running" + how(node));
      case "started" -> StepOutcome.changed("agent started" + how(node));
      case "restarted" ->
          StepOutcome.changed("agent restarted (package or configuration changed)" + how(node));
      default ->
          throw new StepFailedException(
              "unexpected answer from the start script: " + result, r.stderr());
    };
  }

  private static String how(NodeSession node) {
    return node.facts().systemd()
        ? " (systemd)"
        : " (start-stop-daemon, pid file " + PID_FILE + ")";
  }

  static String systemdScript(boolean restart) {
    return "set -e\n"
        + "changed=\n"
        + "if ! systemctl is-enabled --quiet "
        + UNIT
        + "; then systemctl enable --quiet "
        + UNIT
        + "; changed=1; fi\n"
        + "if ! systemctl is-active --quiet "
        + UNIT
        + "; then systemctl start "
        + UNIT
        + "; echo started; exit 0; fi\n"
        + (restart ? "systemctl restart " + UNIT + "; echo restarted; exit 0\n" : "")
        + "if [ -n \"$changed\" ]; then echo started; else echo running; fi\n";
  }

  static String supervisorScript(boolean restart) {
    return "set -e\n"
        + "unit=\n"
        + "for d in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do\n"
        + "  if [ -z \"$unit\" ] && [ -f \"$d/"
        + UNIT
        + "\" ]; then unit=\"$d/"
        + UNIT
        + "\"; fi\n"
        + "done\n"
        + "[ -n \"$unit\" ] || { echo '"
        + UNIT
        + " not found: is debvisor-agent installed?' >&2; exit 3; }\n"
        // The unit's command lines, without systemd's prefixes (-, @, :, +, !).
        + "pre=$(sed -n 's/^ExecStartPre=[-@:+!]*//p' \"$unit\")\n"
        + "start=$(sed -n 's/^ExecStart=[-@:+!]*//p' \"$unit\" | tail -n 1)\n"
        + "[ -n \"$start\" ] || { echo \"no ExecStart= in $unit\" >&2; exit 3; }\n"
        + "running=\n"
        + "if start-stop-daemon --status --pidfile "
        + PID_FILE
        + "; then running=1; fi\n"
        + (restart ? "" : "if [ -n \"$running\" ]; then echo running; exit 0; fi\n")
        + "if [ -n \"$running\" ]; then\n"
        + "  start-stop-daemon --stop --quiet --pidfile "
        + PID_FILE
        + " --retry TERM/30/KILL/5 --remove-pidfile\n"
        + "fi\n"
        // What systemd's StateDirectory= and ConfigurationDirectory= would create.
        + "mkdir -p "
        + AgentPaths.STATE_DIR
        + " "
        + AgentPaths.CONFIG_DIR
        + "\n"
        + "if [ -n \"$pre\" ]; then sh -c \"$pre\" >&2 || { echo \"ExecStartPre failed: $pre\" >&2; exit 4; }; fi\n"
        + "start-stop-daemon --start --background --make-pidfile --pidfile "
        + PID_FILE
        + " --output "
        + LOG_FILE
        + " --startas /bin/sh -- -c \"exec $start\"\n"
        + "sleep 0.5\n"
        + "start-stop-daemon --status --pidfile "
        + PID_FILE
        + " || { echo \"the agent exited at once; last lines of "
        + LOG_FILE
        + ":\" >&2; tail -n 20 "
        + LOG_FILE
        + " >&2; exit 5; }\n"
        + "if [ -n \"$running\" ]; then echo restarted; else echo started; fi\n";
  }
}
