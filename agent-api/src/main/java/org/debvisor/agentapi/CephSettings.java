package org.debvisor.agentapi;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent reads Ceph through librados.
 *
 * @param enabled false turns the collector off (reported ABSENT)
 * @param confFile ceph.conf naming the monitors; missing file means Ceph is ABSENT
 * @param clientId cephx user without the {@code client.} prefix; a read-only key ({@code mon 'allow
 *     r'}) is enough
 * @param keyringFile keyring holding that user's key; empty means librados' default search
 * @param interval how often to read
 * @param timeout how long one read may take
 * @param connectTimeout how long to wait for the monitors when connecting
 */
public record CephSettings(
    Boolean enabled,
    Path confFile,
    String clientId,
    Path keyringFile,
    Duration interval,
    Duration timeout,
    Duration connectTimeout) {

  public CephSettings {
    enabled = enabled == null || enabled;
    confFile = confFile == null ? Path.of("/etc/ceph/ceph.conf") : confFile;
    clientId = clientId == null ? "debvisor" : clientId.strip();
    interval = interval == null ? Duration.ofSeconds(15) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
  }
}
