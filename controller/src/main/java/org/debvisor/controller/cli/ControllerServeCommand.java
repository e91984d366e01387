package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.PostgresTimeouts;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.pki.CertificatePolicy;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.server.ControllerProcess;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.state.IsoDirectories;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor controller serve}: runs the controller until interrupted or terminated. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve debvisor.Controller over TLS. On first start creates in the state directory the CA "
          + "(pki/ca.key, pki/ca.pem), the operator token (operator-token) and the database "
          + "(controller.db, or the PostgreSQL database of --database-url)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:could not start", "2:invalid arguments"})
final class ControllerServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State directory (default: $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
  Path stateDir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:5443",
      description = "Address to serve on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--rest-listen",
      paramLabel = "HOST:PORT|off",
      defaultValue = "0.0.0.0:8443",
      description = {
        "Serve the HTTPS API (docs/rest-api.md) here with the controller's certificate "
            + "(default: ${DEFAULT-VALUE}); off to serve none. Users: `debvisor user add`."
      })
  String restListen;

  @Option(
      names = "--server-name",
      paramLabel = "NAME",
      description = {
        "Extra DNS name or IP for the controller's TLS certificate (repeatable); localhost, "
            + "127.0.0.1 and ::1 are always included. Add every name agents use to reach it."
      })
  List<String> serverNames = new ArrayList<>();

  @Option(
      names = "--cert-validity",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description = "Validity of node certificates (default: ${DEFAULT-VALUE}).")
  String certValidity;

  @Option(
      names = "--renew-before",
      paramLabel = "DURATION",
      defaultValue = "2d",
      description = "Nodes renew when this much validity is left (default: ${DEFAULT-VALUE}).")
  String renewBefore;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How often agents report (default: ${DEFAULT-VALUE}).")
  String heartbeatInterval;

  @Option(
      names = "--register-burst",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "RegisterNode calls one source address may make at once (default: ${DEFAULT-VALUE}).")
  long registerBurst;

  @Option(
      names = "--register-rate",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "RegisterNode calls per second per source address after the burst (default: ${DEFAULT-VALUE}).")
  long registerRate;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description = {
        "Serve Prometheus /metrics and /healthz over plain HTTP here (default: off), e.g.",
        "127.0.0.1:9443."
      })
  String metricsListen;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      defaultValue = "default",
      description = {
        "Cluster of nodes whose bootstrap token names none, and so the label of their "
            + "debvisor_node_count (default: ${DEFAULT-VALUE})."
      })
  String cluster;

  @Option(
      names = "--bundle-root",
      paramLabel = "DIR",
      description = {
        "A directory agents allow bundle files under (their config.allowedRoots); repeat for "
            + "several. Rollout bundles are checked against these (default: the agent's default)."
      })
  java.util.List<java.nio.file.Path> bundleRoots = new java.util.ArrayList<>();

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = {
        "Keep the inventory in PostgreSQL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE "
            + "(default: $DEBVISOR_DATABASE_URL, else SQLite in <state-dir>/controller.db). The "
            + "password may instead come from $DEBVISOR_DATABASE_PASSWORD."
      })
  String databaseUrl;

  @Option(
      names = "--ca-key-passphrase-file",
      paramLabel = "FILE",
      description = {
        "Keep the CA in the database, its key encrypted with the passphrase on this file's first "
            + "line (default: $DEBVISOR_CA_KEY_PASSPHRASE_FILE). Give every controller of one database "
            + "the same file; a controller whose passphrase does not open the stored key does not start."
      })
  Path caKeyPassphraseFile;

  @Option(
      names = "--lease-period",
      paramLabel = "DURATION",
      defaultValue = "4s",
      description = {
        "With several controllers on PostgreSQL: how long the leader lease holds unless renewed, "
            + "so how long rollouts wait when the leader dies (default: ${DEFAULT-VALUE})."
      })
  String leasePeriod;

  @Option(
      names = "--database-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = {
        "With PostgreSQL: how long a call waits on a database that stopped answering without "
            + "closing the connection (a network partition) before it answers UNAVAILABLE; whole "
            + "seconds, 1s to 1h (default: ${DEFAULT-VALUE}). Migrations at start are not bounded."
      })
  String databaseTimeout;

  @Option(
      names = "--iso-dir",
      paramLabel = "DIR",
      description = {
        "With the HTTPS API: where POST /api/v1/isos builds ISOs and GET /api/v1/isos/NAME serves"
            + " them (default: STATE-DIR/isos; off: no ISO routes). The Debian archive options"
            + " below apply; their download cache defaults to STATE-DIR/iso-cache."
      })
  String isoDir;

  @Mixin MirrorOptions isoArchive;

  private final Map<String, String> env;
  private final PreseedDataLocator preseedData;

  ControllerServeCommand(Map<String, String> env, PreseedDataLocator preseedData) {
    this.env = env;
    this.preseedData = preseedData;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    ControllerSettings settings;
    java.net.InetSocketAddress metricsAddress = null;
    try {
      if (metricsListen != null) {
        ControllerConnection.HostPort m = ControllerConnection.HostPort.parse(metricsListen);
        metricsAddress = new java.net.InetSocketAddress(m.host(), m.port());
      }
      ControllerConnection.HostPort address = ControllerConnection.HostPort.parse(listen);
      CertificatePolicy policy =
          new CertificatePolicy(
              DurationOption.parse("--cert-validity", certValidity),
              DurationOption.parse("--renew-before", renewBefore),
              serverNames);
      Duration heartbeat = DurationOption.parse("--heartbeat-interval", heartbeatInterval);
      ClusterName.problem(cluster)
          .ifPresent(
              rule -> {
                throw new IllegalArgumentException("--cluster: " + cluster + " " + rule);
              });
      settings =
          ControllerSettings.defaults(StateDirectory.resolve(stateDir, env))
              .withListen(address.host(), address.port())
              .withCertificates(policy)
              .withHeartbeatInterval(heartbeat)
              .withRegisterLimit(new ControllerSettings.RateLimit(registerBurst, registerRate))
              .withCluster(cluster);
      if (!restListen.equals("off")) {
        ControllerConnection.HostPort r = ControllerConnection.HostPort.parse(restListen);
        ControllerSettings.RestListen rest = new ControllerSettings.RestListen(r.host(), r.port());
        if (!"off".equals(isoDir)) {
          rest = rest.withIsos(isoLibrary(settings));
        }
        settings = settings.withRest(rest);
      }
      if (!bundleRoots.isEmpty()) {
        settings = settings.withBundleRoots(List.copyOf(bundleRoots));
      }
      Path passphraseFile =
          caKeyPassphraseFile != null
              ? caKeyPassphraseFile
              : Optional.ofNullable(env.get("DEBVISOR_CA_KEY_PASSPHRASE_FILE"))
                  .filter(v -> !v.isBlank())
                  .map(Path::of)
                  .orElse(null);
      if (passphraseFile != null) {
        settings = settings.withCaKeyPassphraseFile(passphraseFile);
      }
      Duration lease = DurationOption.parse("--lease-period", leasePeriod);
      if (lease.toMillis() < 1000 || lease.toMinutes() > 5) {
        throw new IllegalArgumentException(
            "--lease-period " + leasePeriod + " is out of range; use 1s to 5m (default 4s)");
      }
      settings = settings.withLeasePeriod(lease);
      settings =
          settings.withDatabaseTimeout(
              new PostgresTimeouts(DurationOption.parse("--database-timeout", databaseTimeout))
                  .socket());
      var postgres = DatabaseUrlOption.resolve(databaseUrl, env);
      if (postgres.isPresent()) {
        settings = settings.withPostgres(postgres.get());
      }
    } catch (IOException | IllegalArgumentException e) {
      err.println(
          "error: "
              + (e instanceof IOException ? "--listen/--metrics-listen/--rest-listen: " : "")
              + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    } catch (InvalidInputException e) {
      err.println("error: the preseed profiles and templates for ISO builds: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    ControllerProcess controller;
    try {
      controller = ControllerProcess.start(settings, Clock.systemUTC());
    } catch (IOException | InventoryException e) {
      err.println("error: cannot start the controller: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
    if (metricsAddress != null) {
      try {
        controller.serveMetrics(metricsAddress);
      } catch (IOException e) {
        err.println("error: --metrics-listen " + metricsListen + ": " + e.getMessage());
        return DebvisorCli.EXIT_FAILURE;
      }
    }
    out.println(
        "debvisor controller listening on "
            + controller.address().getHostString()
            + ":"
            + controller.address().getPort());
    out.println("state directory: " + settings.stateDir());
    settings.postgres().ifPresent(url -> out.println("inventory:       " + url.redacted()));
    out.println(
        "CA certificate:  "
            + settings.pkiDir().resolve("ca.pem")
            + (settings.caKeyPassphraseFile().isPresent() ? " (CA key in the database)" : ""));
    out.println("controller id:   " + controller.memberId());
    out.println("operator token:  " + settings.operatorTokenFile() + " (0600)");
    controller
        .restAddress()
        .ifPresent(
            rest ->
                out.println(
                    "HTTPS API:       https://"
                        + rest.getHostString()
                        + ":"
                        + rest.getPort()
                        + "/api/health"));
    controller
        .metricsAddress()
        .ifPresent(
            metrics ->
                out.println(
                    "metrics:         http://"
                        + metrics.getHostString()
                        + ":"
                        + metrics.getPort()
                        + "/metrics"));
    out.flush();
    controller.awaitShutdown();
    return 0;
  }

  /** The ISO library the API builds into: in the state directory unless --iso-dir says. */
  private IsoLibrary.Settings isoLibrary(ControllerSettings settings) throws InvalidInputException {
    Path state = settings.stateDir();
    PreseedData data;
    try {
      data = preseedData.load(null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the preseed profiles for ISO builds: "
              + e.getMessage()
              + " (--iso-dir off serves the API without ISO builds)");
    }
    String epoch = env.get("SOURCE_DATE_EPOCH");
    return new IsoLibrary.Settings(
        isoArchive.source(state.resolve(IsoDirectories.CACHE)),
        data,
        isoDir != null ? Path.of(isoDir).toAbsolutePath() : state.resolve(IsoDirectories.LIBRARY),
        settings.pkiDir().resolve("ca.pem"),
        epoch != null && epoch.matches("\\d{1,12}")
            ? Long.parseLong(epoch)
            : IsoBuildRequest.DEFAULT_EPOCH,
        true);
  }
}
