package org.debvisor.agent.collect.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agentapi.HypervisorSettings;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports the local hypervisor through a read-only libvirt connection that it keeps open. */
public final class HypervisorCollector implements Collector {

  private static final Logger LOG = LoggerFactory.getLogger(HypervisorCollector.class);

  private final HypervisorSettings settings;
  private final LibvirtConnector connector;
  private final LocalDaemonProbe daemonProbe;
  private final LibvirtReader reader;
  private Connect connection;

  /** Collector for the given settings, connecting read-only. */
  public HypervisorCollector(HypervisorSettings settings) {
    this(settings, LibvirtConnector.READ_ONLY, Path.of("/run/libvirt"));
  }

  HypervisorCollector(HypervisorSettings settings, LibvirtConnector connector, Path runDir) {
    this.settings = settings;
    this.connector = connector;
    this.daemonProbe = new LocalDaemonProbe(runDir);
    this.reader = new LibvirtReader(settings.maxDomains());
  }

  @Override
  public Subsystem subsystem() {
    return Subsystem.SUBSYSTEM_HYPERVISOR;
  }

  @Override
  public Duration interval() {
    return settings.interval();
  }

  @Override
  public Duration timeout() {
    return settings.timeout();
  }

  @Override
  public SubsystemStatus collect() throws Exception {
    if (!settings.enabled()) {
      return absent("hypervisor collector disabled in the agent settings");
    }
    Optional<String> noDaemon = daemonProbe.missingDaemon(settings.uri());
    if (noDaemon.isPresent()) {
      dropConnection();
      return absent(noDaemon.get());
    }
    HypervisorDetails details;
    try {
      details = readWithRetry();
    } catch (LinkageError e) {
      // JNA could not load libvirt.so.0: UnsatisfiedLinkError the first time,
      // NoClassDefFoundError (org.libvirt classes failed to initialise) afterwards.
      return absent(
          "libvirt client library cannot be loaded ("
              + e.getClass().getSimpleName()
              + ") — install the libvirt0 package and restart the agent to report the hypervisor");
    }
    HypervisorHealth health = HypervisorHealth.of(details);
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_HYPERVISOR)
        .setState(health.state())
        .setMessage(health.message())
        .setHypervisor(details)
        .build();
  }

  // A kept connection may have died with the daemon (libvirtd restart); one fresh connection
  // gets a second chance before the failure is reported.
  private HypervisorDetails readWithRetry() throws HypervisorUnavailableException {
    boolean reused = currentConnection() != null;
    try {
      return readOnce();
    } catch (HypervisorUnavailableException e) {
      if (!reused) {
        throw e;
      }
      LOG.debug("libvirt connection to {} failed, reconnecting once", settings.uri(), e);
      return readOnce();
    }
  }

  private HypervisorDetails readOnce() throws HypervisorUnavailableException {
    Connect current = connect();
    try {
      return reader.read(current, settings.uri());
    } catch (LibvirtException e) {
      dropConnection();
      throw new HypervisorUnavailableException(
          "libvirt at " + settings.uri() + " failed to answer: " + libvirtMessage(e), e);
    }
  }

  private Connect connect() throws HypervisorUnavailableException {
    Connect current = currentConnection();
    if (current != null) {
      return current;
    }
    try {
      current = connector.open(settings.uri());
    } catch (LibvirtException e) {
      throw new HypervisorUnavailableException(
          "cannot connect to libvirt at "
              + settings.uri()
              + ": "
              + libvirtMessage(e)
              + " — check that the URI is right, the daemon runs and the agent may read it",
          e);
    }
    synchronized (this) {
      connection = current;
    }
    return current;
  }

  private synchronized Connect currentConnection() {
    return connection;
  }

  private void dropConnection() {
    Connect old;
    synchronized (this) {
      old = connection;
      connection = null;
    }
    if (old != null) {
      try {
        old.close();
      } catch (LibvirtException e) {
        LOG.debug("closing libvirt connection to {} failed", settings.uri(), e);
      }
    }
  }

  private static String libvirtMessage(LibvirtException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
  }

  private static SubsystemStatus absent(String reason) {
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_HYPERVISOR)
        .setState(HealthState.HEALTH_ABSENT)
        .setMessage(reason)
        .build();
  }

  @Override
  public void close() {
    dropConnection();
  }
}
