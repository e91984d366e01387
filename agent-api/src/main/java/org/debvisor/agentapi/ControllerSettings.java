package org.debvisor.agentapi;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Enrolment with the DebVisor controller and reporting to it.
 *
 * @param address controller {@code host:port}, or several separated by commas ({@code
 *     ctl-a:5443,ctl-b:5443}: controllers sharing one database), tried in that order; empty means
 *     the agent does not enrol
 * @param caFile the controller's CA certificate (PEM), pinned at provisioning time; the only
 *     authority the agent trusts when it enrols
 * @param tokenFile single-use bootstrap token; needed only until the node has a certificate
 * @param stateDir where the node's key ({@code node.key}, 0600), certificate ({@code node.pem}) and
 *     the controller's CA bundle ({@code ca.pem}) are kept
 * @param advertiseAddress {@code host:port} the controller should use to reach this agent; empty
 *     means the first non-loopback {@code grpc.listen} address (a wildcard host is replaced by the
 *     hostname)
 * @param heartbeatInterval how often the agent reports when the controller does not say otherwise
 * @param retryMax longest wait between attempts while the controller is unreachable or refuses
 * @param profile role profile the node was provisioned with: ceph, hypervisor, k8s or empty
 */
public record ControllerSettings(
    String address,
    Path caFile,
    Path tokenFile,
    Path stateDir,
    String advertiseAddress,
    Duration heartbeatInterval,
    Duration retryMax,
    String profile) {

  public ControllerSettings {
    address = address == null ? "" : address.strip();
    caFile = caFile == null ? Path.of(AgentPaths.CA_FILE) : caFile;
    tokenFile = tokenFile == null ? Path.of(AgentPaths.TOKEN_FILE) : tokenFile;
    stateDir = stateDir == null ? Path.of(AgentPaths.PKI_DIR) : stateDir;
    advertiseAddress = advertiseAddress == null ? "" : advertiseAddress.strip();
    heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(10) : heartbeatInterval;
    retryMax = retryMax == null ? Duration.ofMinutes(5) : retryMax;
    profile = profile == null ? "" : profile.strip();
  }

  /** No enrolment: every key at its default. */
  public static ControllerSettings defaults() {
    return new ControllerSettings(null, null, null, null, null, null, null, null);
  }

  /**
   * Enrolment with the controller at {@code address}; the CA and token files at their default
   * places ({@link AgentPaths#CA_FILE}, {@link AgentPaths#TOKEN_FILE}).
   */
  public static ControllerSettings enrolling(String address, String profile) {
    return new ControllerSettings(address, null, null, null, null, null, null, profile);
  }

  /** The controller addresses in the order the agent tries them (one for most fleets). */
  public java.util.List<String> addresses() {
    return java.util.Arrays.stream(address.split(","))
        .map(String::strip)
        .filter(a -> !a.isEmpty())
        .toList();
  }

  /** True when a controller address is configured. */
  public boolean enabled() {
    return !address.isEmpty();
  }
}
