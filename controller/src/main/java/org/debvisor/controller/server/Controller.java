package org.debvisor.controller.server;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.ha.HostName;
import org.debvisor.controller.ha.LeaderDuties;
import org.debvisor.controller.ha.LeaderLease;
import org.debvisor.controller.ha.Leadership;
import org.debvisor.controller.ha.LeadershipGauge;
import org.debvisor.controller.ha.LeaseGauges;
import org.debvisor.controller.ha.MemberId;
import org.debvisor.controller.ha.SharedCa;
import org.debvisor.controller.ha.SharedOperatorTokens;
import org.debvisor.controller.ha.SoleController;
import org.debvisor.controller.identity.Authenticator;
import org.debvisor.controller.identity.LoginLimiter;
import org.debvisor.controller.identity.PasswordHasher;
import org.debvisor.controller.identity.Sessions;
import org.debvisor.controller.identity.Users;
import org.debvisor.controller.identity.VerifiedCredentials;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.GroupCommit;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.inventory.PostgresTimeouts;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.controller.pki.OperatorCredential;
import org.debvisor.controller.rest.RestServer;
import org.debvisor.controller.rollout.AgentBundleRules;
import org.debvisor.controller.rollout.MtlsAgentCalls;
import org.debvisor.controller.rollout.RolloutEngine;
import org.debvisor.controller.state.StateLock;
import org.debvisor.controller.state.UnfinishedRestore;
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
  // Enrolments in one commit at most: bounds how long one group holds the write lock.
  private static final int ENROLMENT_GROUP_MAX = 64;
  private static final java.time.Duration AGENT_RETRY_PAUSE = java.time.Duration.ofSeconds(1);
  // Node counts a scrape may show without counting again (other controllers' enrolments show
  // within this on a shared PostgreSQL; this controller's own show at once).
  private static final java.time.Duration NODE_COUNT_MAX_AGE = java.time.Duration.ofSeconds(10);
  // Failed logins: 5 at once then 5 a minute per user name; 20 then 20 a minute per address.
  private static final LoginLimiter.Limit LOGIN_LIMIT_PER_USER = new LoginLimiter.Limit(5, 5);
  private static final LoginLimiter.Limit LOGIN_LIMIT_PER_SOURCE = new LoginLimiter.Limit(20, 20);

  private final Database db;
  private final ControllerGrpcServer server;
  private final CertificateAuthority ca;
  private final Enrolment enrolment;
  private final RolloutEngine rollouts;
  // Held while running: a restore (or a second controller) refuses this state directory.
  private final StateLock stateLock;
  // The HTTPS API; null when the settings name no listener for it.
  private final RestServer rest;
  // Writes the summary rows of counted enrolment refusals when their interval ends.
  private final ScheduledExecutorService refusalFlusher;
  // Decides whether this controller runs the rollouts (always, on SQLite).
  private final Leadership leadership;

  private Controller(
      Database db,
      ControllerGrpcServer server,
      CertificateAuthority ca,
      Enrolment enrolment,
      RolloutEngine rollouts,
      StateLock stateLock,
      RestServer rest,
      Leadership leadership) {
    this.leadership = leadership;
    this.stateLock = stateLock;
    this.db = db;
    this.rest = rest;
    this.server = server;
    this.ca = ca;
    this.enrolment = enrolment;
    this.rollouts = rollouts;
    this.refusalFlusher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("refusal-audit").factory());
    long period = Enrolment.REFUSAL_INTERVAL.toMillis() / 4;
    refusalFlusher.scheduleWithFixedDelay(
        this::flushRefusals, period, period, TimeUnit.MILLISECONDS);
  }

  private void flushRefusals() {
    try {
      enrolment.flushRefusals();
    } catch (RuntimeException e) {
      log.warn("could not write the summary of refused enrolments: {}", e.getMessage());
    }
  }

  /** Starts a controller; the state directory is created (0700) on first start. */
  public static Controller start(ControllerSettings settings, MeterRegistry registry, Clock clock)
      throws IOException {
    if (!Files.exists(settings.stateDir())) {
      Files.createDirectories(
          settings.stateDir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    StateLock stateLock = StateLock.acquire(settings.stateDir(), "controller");
    try {
      // Checked under the lock: a restore holds it while it runs.
      UnfinishedRestore.refuse(settings.stateDir());
      return start(settings, registry, clock, stateLock);
    } catch (IOException | RuntimeException e) {
      stateLock.close();
      throw e;
    }
  }

  private static Controller start(
      ControllerSettings settings, MeterRegistry registry, Clock clock, StateLock stateLock)
      throws IOException {
    // The database first: when it is out of reach, start fails before any key is made.
    Database db =
        settings
            .postgres()
            .map(url -> Database.open(url, new PostgresTimeouts(settings.databaseTimeout())))
            .orElseGet(() -> Database.open(settings.databaseFile()));
    RolloutEngine rollouts = null;
    Leadership leadership = null;
    try {
      OperatorCredential operator = OperatorCredential.loadOrCreate(settings.operatorTokenFile());
      CertificateAuthority ca = openCa(settings, db, clock);
      String memberId = MemberId.loadOrCreate(settings.memberIdFile());
      SharedOperatorTokens operators = SharedOperatorTokens.publish(db, memberId, operator);
      leadership =
          settings.postgres().isPresent()
              ? new LeaderLease(db, memberId, settings.leasePeriod())
              : new SoleController(db, memberId);
      CertificateAuthority.KeyMaterial serverMaterial =
          ca.issueServerMaterial(settings.pkiDir(), settings.certificates().serverNames());
      CertificateAuthority.KeyMaterial clientMaterial = ca.issueClientMaterial(settings.pkiDir());
      NodeRepository nodes = new NodeRepository();
      NodeRecords records = new NodeRecords(clock, settings.heartbeatInterval());
      ClusterHealthGauges health =
          new ClusterHealthGauges(
              registry,
              settings.cluster(),
              cluster ->
                  db.read(nodes::all).stream()
                      .filter(n -> n.state() == NodeState.ACTIVE && n.cluster().equals(cluster))
                      .map(records::toRecord)
                      .toList());
      NodeCountGauges nodeCount =
          new NodeCountGauges(
              registry,
              settings.cluster(),
              () -> db.read(nodes::countActiveByCluster),
              health::track,
              System::nanoTime,
              NODE_COUNT_MAX_AGE);
      // Counted once now: the clusters already enrolled get their series before the first scrape.
      nodeCount.current();
      AuditLog audit = new AuditLog(clock);
      Enrolment enrolment =
          new Enrolment(
              db,
              new GroupCommit(db, ENROLMENT_GROUP_MAX),
              ca,
              settings,
              audit,
              clock,
              nodeCount::changed);
      Fleet fleet = new Fleet(db, settings, audit, clock, nodeCount::changed);
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
              AGENT_RETRY_PAUSE,
              leadership.fence());
      RolloutRpc rolloutRpc = new RolloutRpc(rollouts);
      ControllerGrpcServer server =
          new ControllerGrpcServer(
              settings.host(),
              settings.port(),
              serverMaterial,
              ca.certificate(),
              new ControllerService(enrolment, fleet, rolloutRpc),
              ControllerInterceptors.create(settings, db, operators, registry));
      server.start();
      LeadershipGauge.register(registry, leadership);
      if (leadership instanceof LeaderLease lease) {
        LeaseGauges.register(registry, lease, System::nanoTime);
      }
      // Unfinished rollouts carry on once the server answers again (on the leader).
      RolloutEngine engine = rollouts;
      leadership.start(
          advertised(settings.host(), server.address().getPort()),
          new LeaderDuties(
              () -> {
                engine.lead();
                log.info("this controller ({}) leads: rollouts run here", memberId);
              },
              engine::adopt,
              () -> {
                engine.stepDown();
                log.info("this controller ({}) no longer leads", memberId);
              }));
      RestServer rest = null;
      if (settings.rest() != null) {
        try {
          rest = startRest(settings, serverMaterial, fleet, rolloutRpc, db, audit, registry, clock);
        } catch (UncheckedIOException e) {
          server.close();
          throw e.getCause();
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
        log.info("HTTPS API listening on {}", rest.address());
      }
      log.info(
          "controller listening on {} (state {}, inventory {}, {} active nodes)",
          server.address(),
          settings.stateDir(),
          db.location(),
          nodeCount.total());
      return new Controller(db, server, ca, enrolment, rollouts, stateLock, rest, leadership);
    } catch (IOException | RuntimeException e) {
      if (leadership != null) {
        leadership.close();
      }
      if (rollouts != null) {
        rollouts.close();
      }
      db.close();
      throw e;
    }
  }

  /**
   * The CA from the database when a CA key passphrase is given (any controller on it can then
   * enrol, renew and revoke), else from {@code pki/} in the state directory.
   */
  private static CertificateAuthority openCa(ControllerSettings settings, Database db, Clock clock)
      throws IOException {
    if (settings.caKeyPassphraseFile().isEmpty()) {
      return CertificateAuthority.loadOrCreate(settings.pkiDir(), clock);
    }
    Passphrase passphrase;
    try {
      passphrase =
          Passphrase.read(settings.caKeyPassphraseFile().get(), "--ca-key-passphrase-file");
    } catch (BackupException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new SharedCa(db, new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS), clock)
        .open(passphrase, settings.pkiDir());
  }

  /** How other controllers' operators see this one: its listen address, a wildcard as the host. */
  private static String advertised(String host, int port) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = HostName.local();
    }
    return host + ":" + port;
  }

  private static RestServer startRest(
      ControllerSettings settings,
      CertificateAuthority.KeyMaterial serverMaterial,
      Fleet fleet,
      RolloutRpc rolloutRpc,
      Database db,
      AuditLog audit,
      MeterRegistry registry,
      Clock clock) {
    SecureRandom random = new SecureRandom();
    PasswordHasher hasher = new PasswordHasher(PasswordHasher.DEFAULT_COST, random);
    LoginLimiter limiter = new LoginLimiter(LOGIN_LIMIT_PER_USER, LOGIN_LIMIT_PER_SOURCE);
    return RestServer.start(
        new InetSocketAddress(settings.rest().host(), settings.rest().port()),
        serverMaterial.certificateFile(),
        serverMaterial.keyFile(),
        new RestFleet(fleet, new TokenAdmin(db, audit, clock)),
        new RestRollouts(rolloutRpc),
        new Authenticator(
            db,
            audit,
            hasher,
            limiter,
            new VerifiedCredentials(
                clock,
                VerifiedCredentials.DEFAULT_TTL,
                VerifiedCredentials.DEFAULT_CAPACITY,
                random)),
        new Sessions(db, audit, clock, Sessions.DEFAULT_TIMEOUTS, random),
        new Users(db, audit, hasher, clock),
        new InstallProgress(db, audit, clock),
        isoApi(settings, db, audit, registry),
        db,
        settings.rest().streams(),
        registry,
        clock);
  }

  /** The ISO library behind the API, with its gauges; null when the API builds no ISOs. */
  private static RestIsos isoApi(
      ControllerSettings settings, Database db, AuditLog audit, MeterRegistry registry) {
    if (settings.rest().isos() == null) {
      return null;
    }
    IsoLibrary library = new IsoLibrary(settings.rest().isos());
    IsoBuildGauges.register(registry, library);
    return new RestIsos(library, db, audit);
  }

  /** Where the HTTPS API listens, when it does. */
  public Optional<InetSocketAddress> restAddress() {
    return Optional.ofNullable(rest).map(RestServer::address);
  }

  /** The routes the HTTPS API serves, "METHOD /path"; empty when it does not listen. */
  public List<String> restRoutes() {
    return rest == null ? List.of() : rest.boundRoutes();
  }

  /** True while this controller leads (runs the rollouts). */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  /** This controller's id among the controllers of its database. */
  public String memberId() {
    return leadership.memberId();
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
    refusalFlusher.shutdown();
    try {
      refusalFlusher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (rest != null) {
      rest.close();
    }
    // Hand the lead over before the rollouts stop, so another controller resumes them at once.
    leadership.close();
    rollouts.close();
    server.close();
    try {
      enrolment.flushAllRefusals();
    } catch (RuntimeException e) {
      log.warn("could not write the summary of refused enrolments: {}", e.getMessage());
    }
    db.close();
    try {
      stateLock.close();
    } catch (IOException e) {
      log.warn("could not release {}: {}", StateLock.FILE_NAME, e.getMessage());
    }
  }
}
