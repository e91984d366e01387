package org.debvisor.controller.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.controller.pki.OperatorCredential;
import org.debvisor.controller.rollout.AgentBundleRules;
import org.debvisor.controller.rollout.MtlsAgentCalls;
import org.debvisor.controller.rollout.RolloutEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: opens the state directory (database, CA, operator token), issues its own
 * TLS certificates and serves debvisor.Controller until closed.
 */
public final class Controller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);
  // An unreachable agent is tried this often, pausing 1 s, 2 s, ... between tries.
  private static final int AGENT_ATTEMPTS = 3;
  private static final java.time.Duration AGENT_RETRY_PAUSE = java.time.Duration.ofSeconds(1);

  private final Database db;
  private final ControllerGrpcServer server;
  private final CertificateAuthority ca;
  private final RolloutEngine rollouts;

  private Controller(
      Database db, ControllerGrpcServer server, CertificateAuthority ca, RolloutEngine rollouts) {
    this.db = db;
    this.server = server;
    this.ca = ca;
    this.rollouts = rollouts;
  }

  /** Starts a controller; the state directory is created (0700) on first start. */
  public static Controller start(ControllerSettings settings, MeterRegistry registry, Clock clock)
      throws IOException {
    if (!Files.exists(settings.stateDir())) {
      Files.createDirectories(
          settings.stateDir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    OperatorCredential operator = OperatorCredential.loadOrCreate(settings.operatorTokenFile());
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(settings.pkiDir(), clock);
    CertificateAuthority.KeyMaterial serverMaterial =
        ca.issueServerMaterial(settings.pkiDir(), settings.certificates().serverNames());
    CertificateAuthority.KeyMaterial clientMaterial = ca.issueClientMaterial(settings.pkiDir());
    Database db = Database.open(settings.databaseFile());
    RolloutEngine rollouts = null;
    try {
      NodeCountGauges nodeCount = new NodeCountGauges(registry, settings.cluster());
      NodeRepository nodes = new NodeRepository();
      Runnable recount = () -> nodeCount.update(db.read(nodes::countActiveByCluster));
      recount.run();
      AuditLog audit = new AuditLog(clock);
      Enrolment enrolment = new Enrolment(db, ca, settings, audit, clock);
      Fleet fleet = new Fleet(db, settings, audit, clock, recount);
      NodeRecords records = new NodeRecords(clock, settings.heartbeatInterval());
      rollouts =
          new RolloutEngine(
              db,
              audit,
              clock,
              registry,
              settings.cluster(),
              new MtlsAgentCalls(
                  settings.pkiDir().resolve("ca.pem"),
                  clientMaterial.certificateFile(),
                  clientMaterial.keyFile()),
              () -> db.read(nodes::all).stream().map(records::toRecord).toList(),
              new AgentBundleRules(settings.bundleRoots()),
              AGENT_ATTEMPTS,
              AGENT_RETRY_PAUSE);
      ControllerGrpcServer server =
          new ControllerGrpcServer(
              settings.host(),
              settings.port(),
              serverMaterial,
              ca.certificate(),
              new ControllerService(enrolment, fleet, recount, new RolloutRpc(rollouts)),
              ControllerInterceptors.create(settings, db, operator, registry));
      server.start();
      // Unfinished rollouts carry on once the server answers again.
      rollouts.start();
      log.info(
          "controller listening on {} (state {}, {} active nodes)",
          server.address(),
          settings.stateDir(),
          nodeCount.total());
      return new Controller(db, server, ca, rollouts);
    } catch (IOException | RuntimeException e) {
      if (rollouts != null) {
        rollouts.close();
      }
      db.close();
      throw e;
    }
  }

  /** Where the controller listens. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The CA that signs node certificates. */
  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  /** Names the server certificate carries besides the configured ones. */
  public static List<String> builtInServerNames() {
    return List.of("localhost", "127.0.0.1", "::1");
  }

  @Override
  public void close() {
    rollouts.close();
    server.close();
    db.close();
  }
}
