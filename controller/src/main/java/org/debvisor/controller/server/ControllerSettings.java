package org.debvisor.controller.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.controller.inventory.PostgresTimeouts;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.pki.CertificatePolicy;
import org.debvisor.controller.rest.EventStreamLimits;

/**
 * How a controller runs: where its state lives, where it listens, certificate policy, how often
 * agents report, the RegisterNode rate limit per source address, and the cluster name its metrics
 * carry, and where the inventory lives.
 *
 * @param port 0 picks a free port (tests)
 * @param postgres the PostgreSQL inventory; empty: SQLite in the state directory
 */
public record ControllerSettings(
    Path stateDir,
    String host,
    int port,
    CertificatePolicy certificates,
    Duration heartbeatInterval,
    RateLimit registerLimit,
    String cluster,
    List<Path> bundleRoots,
    Optional<PostgresUrl> postgres,
    RestListen rest,
    Optional<Path> caKeyPassphraseFile,
    Duration leasePeriod,
    Duration databaseTimeout) {

  /** How long the leader lease holds unless renewed (several controllers on PostgreSQL). */
  public static final Duration DEFAULT_LEASE_PERIOD = Duration.ofSeconds(4);

  /**
   * Where the HTTPS API listens (port 0: a free one), the bounds of its event streams and the ISO
   * library it builds into (null: no ISO routes); null in settings means no API.
   */
  public record RestListen(
      String host, int port, EventStreamLimits streams, IsoLibrary.Settings isos) {
    /** The API's default port. */
    public static final int DEFAULT_PORT = 8443;

    public RestListen(String host, int port, EventStreamLimits streams) {
      this(host, port, streams, null);
    }

    public RestListen(String host, int port) {
      this(host, port, EventStreamLimits.DEFAULTS);
    }

    /** The same listener, building ISOs into the library {@code isos} describes. */
    public RestListen withIsos(IsoLibrary.Settings library) {
      return new RestListen(host, port, streams, library);
    }
  }

  /** Token bucket: {@code capacity} calls at once, refilled at {@code perSecond}. */
  public record RateLimit(long capacity, long perSecond) {
    public RateLimit {
      if (capacity < 1 || perSecond < 1) {
        throw new IllegalArgumentException(
            "rate limit capacity and rate must be at least 1, got " + capacity + "/" + perSecond);
      }
    }
  }

  /** Defaults: listen on 0.0.0.0:5443, 7-day certificates, heartbeat every 30 s, 20 + 10/s. */
  public static ControllerSettings defaults(Path stateDir) {
    return new ControllerSettings(
        stateDir,
        "0.0.0.0",
        5443,
        CertificatePolicy.DEFAULT,
        Duration.ofSeconds(30),
        new RateLimit(20, 10),
        "default",
        ConfigSettings.defaults().allowedRoots(),
        Optional.empty(),
        null,
        Optional.empty(),
        DEFAULT_LEASE_PERIOD,
        PostgresTimeouts.DEFAULT_SOCKET_TIMEOUT);
  }

  public ControllerSettings withListen(String host, int port) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  public ControllerSettings withCertificates(CertificatePolicy policy) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        policy,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  public ControllerSettings withRegisterLimit(RateLimit limit) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        limit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  public ControllerSettings withHeartbeatInterval(Duration interval) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        interval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  public ControllerSettings withCluster(String name) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        name,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  /**
   * The directories agents allow bundle files under (their {@code config.allowedRoots}), which the
   * controller checks rollout bundles against before any node is touched.
   */
  public ControllerSettings withBundleRoots(List<Path> roots) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        roots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  /** Keeps the inventory in this PostgreSQL database instead of SQLite. */
  public ControllerSettings withPostgres(PostgresUrl url) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        Optional.of(url),
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  /** {@code <stateDir>/pki}. */
  public Path pkiDir() {
    return stateDir.resolve("pki");
  }

  /** {@code <stateDir>/controller.db}, the inventory unless {@link #postgres} names one. */
  public Path databaseFile() {
    return stateDir.resolve("controller.db");
  }

  /** {@code <stateDir>/operator-token}. */
  public Path operatorTokenFile() {
    return stateDir.resolve("operator-token");
  }

  /**
   * Serve the HTTPS API there too (controller serve does by default; tests and embedders opt in).
   */
  public ControllerSettings withRest(RestListen listen) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        listen,
        caKeyPassphraseFile,
        leasePeriod,
        databaseTimeout);
  }

  /**
   * Keep the CA in the database, its key encrypted with the passphrase in this file (every
   * controller on the database gets the same one).
   */
  public ControllerSettings withCaKeyPassphraseFile(Path file) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        Optional.of(file),
        leasePeriod,
        databaseTimeout);
  }

  /** How long the leader lease holds unless renewed. */
  public ControllerSettings withLeasePeriod(Duration period) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        period,
        databaseTimeout);
  }

  /**
   * How long a call waits on a silent PostgreSQL connection (no bytes, no reset: a network
   * partition) before it answers UNAVAILABLE; see {@link PostgresTimeouts}.
   */
  public ControllerSettings withDatabaseTimeout(Duration timeout) {
    return new ControllerSettings(
        stateDir,
        host,
        port,
        certificates,
        heartbeatInterval,
        registerLimit,
        cluster,
        bundleRoots,
        postgres,
        rest,
        caKeyPassphraseFile,
        leasePeriod,
        timeout);
  }

  /** {@code <stateDir>/controller-id}: this controller's name among several. */
  public Path memberIdFile() {
    return stateDir.resolve("controller-id");
  }
}
