package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.ProvisionReport;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.provision.AgentProbe;
import org.debvisor.controller.provision.BootstrapTokens;
import org.debvisor.controller.provision.FleetProvisioner;
import org.debvisor.controller.provision.HostList;
import org.debvisor.controller.provision.HostResult;
import org.debvisor.controller.provision.MintedBootstrapTokens;
import org.debvisor.controller.provision.SshProvisioning;
import org.debvisor.controller.ssh.Identities;
import org.debvisor.controller.ssh.KnownHosts;
import org.debvisor.controller.ssh.KnownHostsFile;
import org.debvisor.controller.ssh.SshClientConfig;
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
      "Follows OpenSSH's conventions: host names go through ~/.ssh/config, host keys are checked"
          + " strictly against ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts, keys come from"
          + " ~/.ssh/id_ed25519, id_ecdsa, id_rsa and a running ssh-agent. Every step is"
          + " idempotent, so a second run changes nothing and a cut run can simply be repeated."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every host provisioned", "1:some host failed", "2:invalid arguments"})
final class ProvisionNodeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PreseedDataLocator locator;
  private final AgentDebLocator agentDebs;
  private final Map<String, String> env;

  @Option(
      names = "--host",
      paramLabel = "[USER@]HOST[:PORT]",
      description =
          "Host to provision (repeatable): an address, a name or a ~/.ssh/config alias; user and"
              + " port default to the config's User/Port, else root and 22.")
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
      paramLabel = "KEYFILE",
      description =
          "SSH private key (repeatable; default: the config's IdentityFile, else ~/.ssh/id_ed25519,"
              + " id_ecdsa, id_rsa). Passphrase-protected keys must be loaded into ssh-agent.")
  List<Path> identities = new ArrayList<>();

  @Option(
      names = "--known-hosts",
      paramLabel = "FILE",
      description =
          "The only known_hosts file host keys are checked against (default: ~/.ssh/known_hosts"
              + " and /etc/ssh/ssh_known_hosts).")
  Path knownHosts;

  @Option(
      names = "--ssh-config",
      paramLabel = "FILE",
      description = "OpenSSH client configuration (default: ~/.ssh/config; 'none' to ignore it).")
  String sshConfig;

  @Option(
      names = "--accept-new-host-key",
      description =
          "Trust the key of a host not in known_hosts on first use and add it to ~/.ssh/known_hosts"
              + " (or --known-hosts); the line added is reported per host.")
  boolean acceptNewHostKey;

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      description =
          "Controller the agent enrols with (default: $DEBVISOR_CONTROLLER; without either the"
              + " agent runs standalone).")
  String controller;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description =
          "The controller's CA certificate the agent pins (default: $DEBVISOR_CA_FILE, else"
              + " <state-dir>/pki/ca.pem).")
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
      paramLabel = "PATH",
      description =
          "The agent package (default: the one shipped beside the controller jar, else"
              + " agent/target/debvisor-agent_*_all.deb of this source tree).")
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

  public ProvisionNodeCommand(
      PreseedDataLocator locator, AgentDebLocator agentDebs, Map<String, String> env) {
    this.locator = locator;
    this.agentDebs = agentDebs;
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> problems = new ArrayList<>();
    List<SshTarget> targets = HostList.parse(hosts, hostsFile, problems);
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
    if (agentDeb == null) {
      try {
        agentDeb = agentDebs.find().orElse(null);
        if (agentDeb == null) {
          problems.add(
              "no agent package found in "
                  + String.join(", ", agentDebs.searched().stream().map(Path::toString).toList())
                  + "; build it (./mvnw -pl agent -am package) or pass --agent-deb PATH");
        }
      } catch (IOException e) {
        problems.add(e.getMessage());
      }
    }
    if (agentDeb != null
        && (!Files.isRegularFile(agentDeb)
            || !agentDeb.getFileName().toString().endsWith(".deb"))) {
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
    boolean controllerFromEnv = false;
    if (controller == null && !blank(env.get(ControllerClientOptions.CONTROLLER_ENV))) {
      controller = env.get(ControllerClientOptions.CONTROLLER_ENV).strip();
      controllerFromEnv = true;
    }
    if (controller != null && caFile == null) {
      String caEnv = env.get(ControllerClientOptions.CA_FILE_ENV);
      caFile = blank(caEnv) ? state.resolve("pki/ca.pem") : Path.of(caEnv.strip());
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
      problems.add(
          (controllerFromEnv ? "$" + ControllerClientOptions.CONTROLLER_ENV : "--controller")
              + " '"
              + controller
              + "' is not HOST:PORT (IPv6 in brackets)");
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
    SshProvisioning.Ssh ssh = sshSettings(problems);
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
            ? AgentProbe.Enrolment.askingController(
                () -> connected.controller(30), connected.target())
            : AgentProbe.Enrolment.nodeCertificate();
    try {
      if (controller == null) {
        progressOut(out, err)
            .println(
                "note: no controller (--controller or $"
                    + ControllerClientOptions.CONTROLLER_ENV
                    + "): the agent runs standalone");
      }
      return provision(ssh, targets, chosen, tokens, enrolment, out, err);
    } finally {
      if (minter != null) {
        minter.close();
      }
    }
  }

  private PrintWriter progressOut(PrintWriter out, PrintWriter err) {
    return output.equals("json") ? err : out;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** OpenSSH's files under $HOME unless options name others; problems go to {@code problems}. */
  private SshProvisioning.Ssh sshSettings(List<String> problems) {
    Path home = Path.of(blank(env.get("HOME")) ? System.getProperty("user.home") : env.get("HOME"));
    SshClientConfig config;
    if ("none".equals(sshConfig)) {
      config = SshClientConfig.NONE;
    } else if (sshConfig != null) {
      Path file = Path.of(sshConfig);
      if (!Files.isRegularFile(file)) {
        problems.add("--ssh-config " + file + " does not exist (give a file, or 'none')");
      }
      config = SshClientConfig.file(file);
    } else {
      config = SshClientConfig.file(home.resolve(".ssh/config"));
    }
    KnownHosts known =
        knownHosts != null
            ? KnownHosts.only(new KnownHostsFile(knownHosts))
            : KnownHosts.openSshDefaults(home, KnownHosts.GLOBAL);
    for (Path key : identities) {
      if (!Files.isRegularFile(key)) {
        problems.add("--identity " + key + " does not exist or is not a file");
      }
    }
    return new SshProvisioning.Ssh(
        config,
        Identities.openSshDefaults(identities, home, env),
        known,
        acceptNewHostKey,
        connectTimeout);
  }

  private int provision(
      SshProvisioning.Ssh ssh,
      List<SshTarget> targets,
      Profile chosen,
      BootstrapTokens tokens,
      AgentProbe.Enrolment enrolment,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    PrintWriter progressOut = progressOut(out, err);
    List<HostResult> results;
    try {
      results =
          new SshProvisioning(ssh)
              .provisionAll(
                  targets,
                  new SshProvisioning.Request(
                      chosen,
                      agentDeb,
                      controller,
                      caFile,
                      tokens,
                      enrolment,
                      healthTimeout,
                      parallel),
                  new ProvisionReport.LiveProgress(progressOut));
    } catch (SshException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return DebvisorCli.EXIT_INVALID;
    }
    if (output.equals("json")) {
      out.println(ProvisionReport.json(results));
    } else {
      out.print(ProvisionReport.table(results));
    }
    out.flush();
    return results.stream().allMatch(HostResult::ok) ? 0 : DebvisorCli.EXIT_FAILURE;
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
}
