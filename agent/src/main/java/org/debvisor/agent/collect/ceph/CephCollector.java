package org.debvisor.agent.collect.ceph;

import java.nio.file.Files;
import java.time.Duration;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Reports the health of the Ceph cluster this node belongs to, read from its monitors through
 * librados with a read-only key, with the OSDs this node hosts. Keeps one connection and reconnects
 * after a failure.
 */
public final class CephCollector implements Collector {

  private static final String STATUS = "{\"prefix\":\"status\",\"format\":\"json\"}";
  private static final String HEALTH_DETAIL =
      "{\"prefix\":\"health\",\"detail\":\"detail\",\"format\":\"json\"}";
  private static final String DF = "{\"prefix\":\"df\",\"format\":\"json\"}";

  private final CephSettings settings;
  private final CephReportParser parser = new CephReportParser();
  private final LocalOsds local;

  // guarded by this
  private RadosConnection connection;

  /** Reads Ceph through librados2 as configured. */
  public CephCollector(CephSettings settings) {
    this(settings, LocalOsds.thisMachine());
  }

  /** Reads Ceph as configured, reporting the OSDs of CRUSH host {@code crushHost} as local. */
  CephCollector(CephSettings settings, String crushHost) {
    this.settings = settings;
    this.local = new LocalOsds(crushHost);
  }

  @Override
  public Subsystem subsystem() {
    return Subsystem.SUBSYSTEM_CEPH;
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
  public synchronized SubsystemStatus collect() throws CephException {
    if (!settings.enabled()) {
      return absent("Ceph collection is disabled in the agent settings");
    }
    if (!Files.exists(settings.confFile())) {
      disconnect(); // Ceph was removed from this node
      return absent("no Ceph configuration at " + settings.confFile());
    }
    if (settings.keyringFile() != null && !Files.isReadable(settings.keyringFile())) {
      throw new CephException(
          "Ceph keyring "
              + settings.keyringFile()
              + " for client."
              + settings.clientId()
              + " does not exist or is not readable");
    }
    RadosConnection session;
    try {
      session = connection();
    } catch (LinkageError e) {
      return absent("librados2 is not installed (" + firstLine(e.getMessage()) + ")");
    }
    try {
      CephDetails details =
          parser
              .parse(
                  session.monCommand("status", STATUS),
                  session.monCommand("health detail", HEALTH_DETAIL),
                  session.monCommand("df", DF))
              .toBuilder()
              .addAllLocalOsdIds(local.read(session))
              .build();
      return SubsystemStatus.newBuilder()
          .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
          .setState(CephHealthSummary.state(details))
          .setMessage(CephHealthSummary.message(details))
          .setCeph(details)
          .build();
    } catch (CephException e) {
      disconnect();
      throw e;
    }
  }

  // LinkageError when librados2 (or JNA) cannot be loaded: UnsatisfiedLinkError the first time,
  // NoClassDefFoundError after that
  private RadosConnection connection() throws CephException {
    if (connection == null) {
      connection = RadosConnection.open(settings);
    }
    return connection;
  }

  private void disconnect() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  // JNA's message goes on to list every path it searched
  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    String line = message.lines().findFirst().orElse("").strip();
    return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
  }

  private static SubsystemStatus absent(String why) {
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
        .setState(HealthState.HEALTH_ABSENT)
        .setMessage(why)
        .build();
  }

  /** Shuts the librados connection down; waits for a collection in progress to finish first. */
  @Override
  public synchronized void close() {
    disconnect();
  }
}
