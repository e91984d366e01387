package org.debvisor.agent.enrol;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.common.tls.NodeTls;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the controller relationship, run in the background: enrol when the node has
 * no valid certificate, renew it in its renewal window, and send heartbeats; while the controller
 * is unreachable it backs off with jitter (bounded by controller.retryMax) and the agent keeps
 * serving. Each {@link #runOnce()} does one step and says how long to wait before the next.
 */
public final class ControllerLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControllerLink.class);
  private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
  private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_INTERVAL = Duration.ofHours(1);

  private final ControllerSettings settings;
  private final NodeDescription node;
  private final NodeTls tls;
  private final CredentialStore store;
  private final ControllerChannels channels;
  private final Enroller enroller;
  private final CertificateRenewer renewer = new CertificateRenewer();
  private final HeartbeatReporter reporter;
  private final Supplier<HardwareFacts> facts;
  private final Clock clock;
  private final Backoff backoff;
  private final Sleeper sleeper;

  private final LinkMetrics metrics;

  // Touched only by the link's own thread (or a test calling runOnce).
  private ManagedChannel mutual;
  private int failures;
  private Duration renewBefore;
  private Duration interval;
  private boolean renewRequested;
  private NodeCredentials unsaved;

  private volatile boolean closed;
  private Thread thread;

  /**
   * @param status the latest node report, sent with every heartbeat
   * @param facts reads the hardware facts (sent when their fingerprint changes)
   */
  public ControllerLink(
      ControllerSettings settings,
      NodeDescription node,
      NodeTls tls,
      Supplier<NodeStatus> status,
      Supplier<HardwareFacts> facts,
      MeterRegistry registry,
      Clock clock,
      RandomGenerator random,
      Sleeper sleeper) {
    this.settings = settings;
    this.node = node;
    this.tls = tls;
    this.store = new CredentialStore(settings.stateDir());
    this.channels = new ControllerChannels(settings.addresses(), settings.caFile());
    this.enroller = new Enroller(channels);
    this.reporter = new HeartbeatReporter(status, facts, node.agentAddress());
    this.facts = facts;
    this.clock = clock;
    this.backoff = new Backoff(BACKOFF_BASE, settings.retryMax(), random);
    this.sleeper = sleeper;
    this.interval = settings.heartbeatInterval();
    this.metrics = new LinkMetrics(registry, this::notAfterSeconds);
  }

  /**
   * Loads the stored certificate, if any, into the node's TLS identity; done before the agent
   * serves, so a node that enrolled earlier serves mTLS from its first second.
   */
  public Optional<NodeCredentials> loadStored() {
    try {
      Optional<NodeCredentials> stored = store.load();
      stored.ifPresent(
          c -> {
            tls.update(c);
            metrics.enrolled.set(c.notAfter().isAfter(clock.instant()) ? 1 : 0);
            log.info(
                "using the node certificate {} (serial {}, valid until {})",
                store.certificateFile(),
                c.serialHex(),
                c.notAfter());
          });
      return stored;
    } catch (IOException e) {
      log.error(
          "cannot read the node certificate in {}: {}; the node will enrol again",
          settings.stateDir(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Starts the background thread. */
  public synchronized void start() {
    thread =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  sleeper.sleep(runOnce());
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  log.error("controller link step failed; retrying", e);
                  try {
                    sleeper.sleep(settings.retryMax());
                  } catch (InterruptedException stop) {
                    return;
                  }
                }
              }
            },
            "controller-link");
    thread.setDaemon(true);
    thread.start();
  }

  /** One step: enrol, renew or report. Returns how long to wait before the next step. */
  public Duration runOnce() {
    Instant now = clock.instant();
    if (unsaved != null) {
      store(unsaved);
    }
    Optional<NodeCredentials> current = tls.current();
    if (current.isEmpty() || !current.get().notAfter().isAfter(now)) {
      metrics.enrolled.set(0);
      return enrol(current);
    }
    boolean renewing = renewRequested || CertificateRenewer.due(current.get(), now, renewBefore);
    if (renewing) {
      renew();
    }
    return heartbeat(renewing);
  }

  /**
   * Stores credentials; when the disk refuses, they are used from memory and stored at the next
   * step (the bootstrap token is spent, so they must not be thrown away).
   */
  private void store(NodeCredentials credentials) {
    try {
      store.save(credentials);
      unsaved = null;
    } catch (IOException e) {
      unsaved = credentials;
      log.error(
          "cannot store the node certificate in {}: {}; serving it from memory and retrying"
              + " (it is lost if the agent stops before then)",
          settings.stateDir(),
          e.getMessage());
    }
  }

  private Duration enrol(Optional<NodeCredentials> expired) {
    String token = token();
    if (token.isEmpty()) {
      log.error(
          "{}; write a bootstrap token from 'debvisor token create' to {} (controller.tokenFile);"
              + " retrying in {}",
          expired.isPresent()
              ? "the node certificate expired at " + expired.get().notAfter()
              : "this node has no certificate yet",
          settings.tokenFile(),
          human(settings.retryMax()));
      return settings.retryMax();
    }
    try {
      Enroller.Enrolment enrolment = enroller.enrol(node, token, facts.get());
      store(enrolment.credentials());
      renewBefore = enrolment.renewBefore();
      if (enrolment.heartbeatInterval() != null) {
        interval = Durations.clamp(enrolment.heartbeatInterval(), MIN_INTERVAL, MAX_INTERVAL);
      }
      tls.update(enrolment.credentials());
      // The facts went with RegisterNode; the first heartbeat still repeats them (cheap, and the
      // controller gets them even if it lost the registration's copy).
      reporter.forgetFacts();
      metrics.enrolled.set(1);
      metrics.reachable.set(1);
      failures = 0;
      log.info(
          "enrolled with the controller at {} as {}: certificate serial {}, valid until {}",
          channels.current(),
          node.nodeId(),
          enrolment.credentials().serialHex(),
          enrolment.credentials().notAfter());
      return Duration.ZERO;
    } catch (StatusRuntimeException e) {
      metrics.enrolmentFailures.increment();
      if (RpcErrors.refusal(e)) {
        metrics.reachable.set(1);
        // The token is never logged; the controller's reason says which check failed.
        log.error(
            "the controller at {} refused the bootstrap token in {}: {}; create a new one with"
                + " 'debvisor token create' and write it there; retrying in {}",
            channels.current(),
            settings.tokenFile(),
            e.getStatus().getDescription(),
            human(settings.retryMax()));
        return settings.retryMax();
      }
      return failed("enrol with", RpcErrors.describe(e, channels.current()));
    } catch (IOException e) {
      metrics.enrolmentFailures.increment();
      return failed("enrol with", e.getMessage());
    }
  }

  private void renew() {
    try {
      NodeCredentials renewed = renewer.renew(mutualChannel(), node.nodeId());
      store(renewed);
      tls.update(renewed);
      renewRequested = false;
      metrics.renewals.increment();
      log.info(
          "renewed the node certificate: serial {}, valid until {}",
          renewed.serialHex(),
          renewed.notAfter());
    } catch (StatusRuntimeException | IOException e) {
      // Keep the current certificate and try again with the next step; the heartbeat that
      // follows reports whether the controller is reachable at all.
      log.warn("cannot renew the node certificate: {}", RpcErrors.describe(e, channels.current()));
      dropMutualChannel();
    }
  }

  /**
   * @param renewedThisStep a renewal was just attempted, so a repeated request for one waits for
   *     the next interval instead of looping
   */
  private Duration heartbeat(boolean renewedThisStep) {
    try {
      HeartbeatResponse response = reporter.beat(mutualChannel());
      metrics.heartbeats.increment();
      if (metrics.reachable.getAndSet(1) == 0 && failures > 0) {
        log.info("the controller at {} is reachable again", channels.current());
      }
      failures = 0;
      if (response.hasHeartbeatInterval()) {
        interval =
            Durations.clamp(
                Durations.of(response.getHeartbeatInterval()), MIN_INTERVAL, MAX_INTERVAL);
      }
      if (response.getRenewCertificate()) {
        renewRequested = true;
        return renewedThisStep ? interval : Duration.ZERO;
      }
      return interval;
    } catch (StatusRuntimeException e) {
      metrics.heartbeatFailures.increment();
      if (RpcErrors.refusal(e)) {
        metrics.reachable.set(1);
        log.error(
            "the controller at {} refused this node's certificate (serial {}): {}; if the node was"
                + " revoked, provision it again; retrying in {}",
            channels.current(),
            tls.current().map(NodeCredentials::serialHex).orElse("?"),
            e.getStatus().getDescription(),
            human(settings.retryMax()));
        return settings.retryMax();
      }
      // A fresh channel next time: a broken one would wait out grpc's own reconnect backoff.
      dropMutualChannel();
      return failed("report to", RpcErrors.describe(e, channels.current()));
    }
  }

  private void dropMutualChannel() {
    ControllerChannels.close(mutual);
    mutual = null;
  }

  private Duration failed(String what, String why) {
    metrics.reachable.set(0);
    failures++;
    String address = channels.current();
    // Several controllers: try the next one at once; the backoff starts once each one failed.
    channels.next();
    dropMutualChannel();
    if (failures % channels.count() != 0) {
      log.warn(
          "cannot {} the controller at {}: {}; trying the one at {} next",
          what,
          address,
          why,
          channels.current());
      return Duration.ZERO;
    }
    Duration wait = backoff.delay(failures / channels.count());
    log.warn(
        "cannot {} the controller at {} ({} failure(s) in a row): {}; retrying in {}",
        what,
        address,
        failures,
        why,
        human(wait));
    return wait;
  }

  private ManagedChannel mutualChannel() {
    if (mutual == null) {
      try {
        mutual = channels.mutual(tls);
      } catch (IOException e) {
        throw new StatusRuntimeException(
            Status.INTERNAL.withDescription("cannot set up mutual TLS: " + e.getMessage()));
      }
    }
    return mutual;
  }

  private String token() {
    try {
      return Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      log.error("cannot read {}: {}", settings.tokenFile(), e.getMessage());
      return "";
    }
  }

  private double notAfterSeconds() {
    return tls.current().map(c -> (double) c.notAfter().getEpochSecond()).orElse(0.0);
  }

  /** e.g. "0.4s", "2m30s". */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    long seconds = d.toSeconds();
    return (seconds / 60) + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s");
  }

  /** Failures in a row since the last successful call (for tests and diagnostics). */
  int failuresInARow() {
    return failures;
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ControllerChannels.close(mutual);
  }
}
