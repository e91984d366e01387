package org.debvisor.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.controller.preseed.InvalidInputException;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.Profile;
import org.debvisor.controller.provision.AgentProbe;
import org.debvisor.controller.provision.BootstrapTokens;
import org.debvisor.controller.provision.FleetProvisioner;
import org.debvisor.controller.provision.HostResult;
import org.debvisor.controller.provision.ProgressListener;
import org.debvisor.controller.provision.ProvisionPlan;
import org.debvisor.controller.provision.Provisioner;
import org.debvisor.controller.provision.StepResult;
import org.debvisor.controller.ssh.KnownHostsFile;
import org.debvisor.controller.ssh.SshConnector;
import org.debvisor.controller.ssh.SshException;
import org.debvisor.controller.ssh.SshTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code debvisor provision-node} / {@code debvisor-provision-node}: installs the agent and a role
 * profile on Debian 13 hosts over SSH.
 */
@Command(
    name = "provision-node",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Install and configure the DebVisor agent and a role profile on Debian 13 hosts over SSH.",
      "Host keys are checked strictly against --known-hosts; every step is idempotent, so a second"
          + " run changes nothing and a cut run can simply be repeated."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every host provisioned", "1:some host failed", "2:invalid arguments"})
public final class ProvisionNodeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PreseedDataLocator locator;
  private final Map<String, String> env;

  @Option(
      names = "--host",
      paramLabel = "[USER@]HOST[:PORT]",
      description = "Host to provision (repeatable; user defaults to root).")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--hosts-file",
      paramLabel = "FILE",
      description = "File with one [user@]host[:port] per line (# comments).")
  Path hostsFile;

  @Option(
      names = "--parallel",
      defaultValue = "10",
      description =
          "Hosts provisioned at once, 1 to "
              + FleetProvisioner.MAX_PARALLEL
              + " (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--profile",
      required = true,
      description = "Role profile: ceph, hypervisor or k8s (from preseed/profiles).")
  String profile;

  @Option(
      names = "--preseed-dir",
      paramLabel = "DIR",
      description = "preseed/ folder with the profiles (default: beside the jar, else built in).")
  Path preseedDir;

  @Option(
      names = {"-i", "--identity"},
      required = true,
      paramLabel = "KEYFILE",
      description = "SSH private key (unencrypted); ~/.ssh is never read.")
  Path identity;

  @Option(
      names = "--known-hosts",
      required = true,
      paramLabel = "FILE",
      description = "known_hosts file the host keys are checked against.")
  Path knownHosts;

  @Option(
      names = "--accept-new-host-key",
      description =
          "Trust the key of a host not in --known-hosts on first use and add it there (reported per host).")
  boolean acceptNewHostKey;

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      description = "Controller the agent enrols with (omit for a standalone agent).")
  String controller;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description = "The controller's CA certificate the agent pins.")
  Path caFile;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description =
          "Cluster the hosts join, recorded on the tokens minted for them (default: default);"
              + " a --token/--token-file token already names its cluster.")
  String cluster;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Bootstrap token (prefer --token-file: command lines are visible to other users).")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "File holding the bootstrap token.")
  Path tokenFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Controller state directory for the default --ca-file and --operator-token-file (default:"
              + " $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
  Path stateDir;

  @Option(
      names = "--operator-token-file",
      paramLabel = "FILE",
      description =
          "Operator token used to mint one bootstrap token per host when neither --token nor"
              + " --token-file is given (default: $DEBVISOR_TOKEN if set, else"
              + " <state-dir>/operator-token).")
  Path operatorTokenFile;

  @Option(
      names = "--agent-deb",
      required = true,
      paramLabel = "PATH",
      description = "The agent package (agent/target/debvisor-agent_*_all.deb).")
  Path agentDeb;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}); progress goes to stderr with json.")
  String output;

  @Option(
      names = "--connect-timeout",
      defaultValue = "10s",
      converter = ProvisionNodeCommand.DurationConverter.class,
      description = "SSH connect and key exchange limit (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--health-timeout",
      defaultValue = "120s",
      converter = ProvisionNodeCommand.DurationConverter.class,
      description = "How long to wait for the agent to report healthy (default: ${DEFAULT-VALUE}).")
  Duration healthTimeout;

  public ProvisionNodeCommand(PreseedDataLocator locator, Map<String, String> env) {
    this.locator = locator;
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    List<SshTarget> targets = targets(problems);
    if (!output.equals("table") && !output.equals("json")) {
      problems.add("--output must be table or json, not '" + output + "'");
    }
    if (parallel < 1 || parallel > FleetProvisioner.MAX_PARALLEL) {
      problems.add(
          "--parallel must be between 1 and "
              + FleetProvisioner.MAX_PARALLEL
              + ", not "
              + parallel);
    }
    if (!Files.isRegularFile(agentDeb) || !agentDeb.getFileName().toString().endsWith(".deb")) {
      problems.add(
          "--agent-deb "
              + agentDeb
              + " is not a .deb file (build it: ./mvnw -pl agent -am package)");
    }
    if (caFile != null && !Files.isRegularFile(caFile)) {
      problems.add("--ca-file " + caFile + " does not exist");
    }
    if (token != null && tokenFile != null) {
      problems.add("give --token or --token-file, not both");
    }
    String secret = token;
    if (tokenFile != null) {
      try {
        secret = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        problems.add("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
      }
    }
    boolean mint = controller != null && token == null && tokenFile == null;
    if (controller != null && !mint && (secret == null || secret.isEmpty())) {
      problems.add(
          "the bootstrap token is empty; give a token or leave --token/--token-file out"
              + " to have one minted per host");
    }
    Path state = StateDirectory.resolve(stateDir, env);
    if (controller != null && caFile == null) {
      caFile = state.resolve("pki/ca.pem");
      if (!Files.isRegularFile(caFile)) {
        problems.add(
            "--ca-file not given and "
                + caFile
                + " does not exist; pass the controller's"
                + " CA certificate with --ca-file");
      }
    }
    String operatorToken = null;
    if (mint) {
      try {
        operatorToken =
            ControllerClientOptions.operatorToken(
                operatorTokenFile,
                state,
                env,
                " to mint one (no bootstrap token was given); pass --token-file,"
                    + " --operator-token-file or set $DEBVISOR_TOKEN");
      } catch (IOException e) {
        problems.add(e.getMessage());
      }
    }
    if (controller != null && !controller.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):\\d{1,5}")) {
      problems.add("--controller '" + controller + "' is not HOST:PORT (IPv6 in brackets)");
    }
    if (controller == null
        && (secret != null || caFile != null || operatorTokenFile != null || cluster != null)) {
      problems.add(
          "--token/--token-file/--ca-file/--operator-token-file/--cluster only make sense with"
              + " --controller HOST:PORT");
    }
    if (cluster != null) {
      ClusterName.problem(cluster)
          .ifPresent(rule -> problems.add("--cluster '" + cluster + "' " + rule));
      if (controller != null && !mint) {
        problems.add(
            "--cluster only applies to tokens minted per host; the cluster of a --token/--token-file"
                + " token is fixed when it is made (`debvisor token create --cluster NAME`)");
      }
    }
    if (secret != null && (secret.contains("\n") || secret.length() > 4096)) {
      problems.add("the bootstrap token must be one line of at most 4096 characters");
    }
    Profile chosen = null;
    try {
      PreseedData data = locator.load(preseedDir);
      chosen = data.profiles().get(profile);
      if (chosen == null) {
        problems.add(
            "--profile '"
                + profile
                + "' is unknown; choose one of "
                + String.join(", ", data.profiles().keySet()));
      }
    } catch (InvalidInputException | IOException e) {
      problems.add("cannot read the profiles: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("error: " + p));
      err.flush();
      return DebvisorCli.EXIT_INVALID;
    }
    String finalSecret = secret;
    ControllerConnection minter = null;
    BootstrapTokens tokens = null;
    if (mint) {
      try {
        minter = ControllerConnection.open(controller, caFile, operatorToken);
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return DebvisorCli.EXIT_INVALID;
      }
      tokens =
          new MintedBootstrapTokens(
              minter, chosen.name(), cluster == null ? "" : cluster, Duration.ofHours(1), 30);
    } else if (controller != null) {
      tokens = host -> finalSecret;
    }
    // Enrolment is asked of the controller when the CLI is connected to it (minting tokens);
    // with a plain --token there is no operator token, so the node's certificate tells.
    ControllerConnection connected = minter;
    AgentProbe.Enrolment enrolment =
        connected != null
            ? AgentProbe.Enrolment.askingController(() -> connected.controller(30))
            : AgentProbe.Enrolment.nodeCertificate();
    try {
      return provision(targets, chosen, tokens, enrolment, out, err);
    } finally {
      if (minter != null) {
        minter.close();
      }
    }
  }

  private int provision(
      List<SshTarget> targets,
      Profile chosen,
      BootstrapTokens tokens,
      AgentProbe.Enrolment enrolment,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    ProvisionPlan plan =
        new ProvisionPlan(
            chosen,
            agentDeb,
            controller,
            caFile,
            tokens,
            new AgentProbe(enrolment),
            Duration.ofSeconds(60),
            Duration.ofMinutes(15),
            healthTimeout);
    PrintWriter progressOut = output.equals("json") ? err : out;
    List<HostResult> results;
    try (SshConnector connector =
        new SshConnector(
            new SshConnector.Settings(
                identity,
                new KnownHostsFile(knownHosts),
                acceptNewHostKey,
                connectTimeout,
                Duration.ofSeconds(30)))) {
      Provisioner provisioner =
          new Provisioner(
              connector, plan, Provisioner.standardSteps(), new LiveProgress(progressOut));
      results = new FleetProvisioner(provisioner, parallel).provisionAll(targets);
    } catch (SshException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return DebvisorCli.EXIT_INVALID;
    }
    if (output.equals("json")) {
      out.println(json(results));
    } else {
      out.print(table(results));
    }
    out.flush();
    return results.stream().allMatch(HostResult::ok) ? 0 : DebvisorCli.EXIT_FAILURE;
  }

  private List<SshTarget> targets(List<String> problems) {
    List<String> raw = new ArrayList<>(hosts);
    if (hostsFile != null) {
      try {
        for (String line : Files.readAllLines(hostsFile, StandardCharsets.UTF_8)) {
          String l = line.replaceFirst("#.*$", "").strip();
          if (!l.isEmpty()) {
            raw.add(l);
          }
        }
      } catch (IOException e) {
        problems.add("--hosts-file " + hostsFile + " cannot be read: " + e.getMessage());
      }
    }
    LinkedHashSet<SshTarget> targets = new LinkedHashSet<>();
    for (String h : raw) {
      try {
        targets.add(SshTarget.parse(h));
      } catch (IllegalArgumentException e) {
        problems.add("--host " + e.getMessage());
      }
    }
    if (raw.isEmpty()) {
      problems.add("no hosts: give --host [user@]host[:port] or --hosts-file FILE");
    }
    return List.copyOf(targets);
  }

  static String table(List<HostResult> results) {
    StringBuilder b = new StringBuilder("\n");
    String fmt = "%-28s %-7s %-8s %-13s %7s  %s%n";
    b.append(
        String.format(
            Locale.ROOT, fmt, "HOST", "RESULT", "CHANGED", "FAILED STEP", "TIME", "DETAIL"));
    for (HostResult r : results) {
      StepResult f = r.failure();
      b.append(
          String.format(
              Locale.ROOT,
              fmt,
              r.target(),
              r.ok() ? "ok" : "FAILED",
              r.changed() ? "changed" : "no",
              f == null ? "-" : f.step(),
              String.format(Locale.ROOT, "%.1fs", r.elapsed().toMillis() / 1000.0),
              f != null ? firstLine(f.detail()) : r.changed() ? "provisioned" : "nothing changed"));
    }
    long failed = results.stream().filter(r -> !r.ok()).count();
    long changed = results.stream().filter(r -> r.ok() && r.changed()).count();
    b.append(
        String.format(
            Locale.ROOT,
            "%n%d host(s): %d ok (%d changed, %d unchanged), %d failed%n",
            results.size(),
            results.size() - failed,
            changed,
            results.size() - failed - changed,
            failed));
    for (HostResult r : results) {
      StepResult f = r.failure();
      if (f != null) {
        b.append("\n")
            .append(r.target())
            .append(" failed at ")
            .append(f.step())
            .append(": ")
            .append(f.detail())
            .append('\n');
        if (!f.stderr().isEmpty()) {
          b.append("  stderr:\n");
          f.stderr().lines().forEach(l -> b.append("    ").append(l).append('\n'));
        }
      }
      if (r.acceptedHostKey() != null) {
        b.append("\n")
            .append(r.target())
            .append(": new host key trusted and recorded: ")
            .append(r.acceptedHostKey())
            .append('\n');
      }
    }
    return b.toString();
  }

  static String json(List<HostResult> results) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("ok", results.stream().allMatch(HostResult::ok));
    ArrayNode hostsNode = root.putArray("hosts");
    for (HostResult r : results) {
      ObjectNode h = hostsNode.addObject();
      h.put("host", r.target().toString());
      h.put("ok", r.ok());
      h.put("changed", r.changed());
      h.put("seconds", r.elapsed().toMillis() / 1000.0);
      StepResult f = r.failure();
      h.put("failedStep", f == null ? null : f.step());
      h.put("error", f == null ? null : f.detail());
      h.put("stderr", f == null ? null : f.stderr());
      h.put("acceptedHostKey", r.acceptedHostKey());
      ArrayNode steps = h.putArray("steps");
      for (StepResult s : r.steps()) {
        ObjectNode sn = steps.addObject();
        sn.put("step", s.step());
        sn.put("ok", s.ok());
        sn.put("changed", s.changed());
        sn.put("detail", s.detail());
        sn.put("seconds", s.elapsed().toMillis() / 1000.0);
      }
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** picocli converter for {@code 90s}, {@code 15m}, {@code 1h}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationOption.parse("duration", value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** One line per finished step, as hosts progress. */
  private static final class LiveProgress implements ProgressListener {
    private final PrintWriter out;

    LiveProgress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void stepFinished(SshTarget target, StepResult r) {
      synchronized (out) {
        out.printf(
            Locale.ROOT,
            "%-28s %-13s %-9s %s%n",
            target,
            r.step(),
            !r.ok() ? "FAILED" : r.changed() ? "changed" : "ok",
            firstLine(r.detail()));
        out.flush();
      }
    }

    @Override
    public void note(SshTarget target, String message) {
      synchronized (out) {
        out.printf(Locale.ROOT, "%-28s note: %s%n", target, message);
        out.flush();
      }
    }
  }
}
