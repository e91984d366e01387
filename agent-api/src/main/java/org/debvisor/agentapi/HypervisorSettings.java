package org.debvisor.agentapi;

import java.time.Duration;

/**
 * How the agent reads the local hypervisor through libvirt.
 *
 * @param enabled false turns the collector off (reported ABSENT)
 * @param uri libvirt connection URI, e.g. {@code qemu:///system} or {@code test:///default}
 * @param interval how often to read
 * @param timeout how long one read may take
 * @param maxDomains at most this many domains are listed one by one (counts are always complete)
 */
public record HypervisorSettings(
    Boolean enabled, String uri, Duration interval, Duration timeout, Integer maxDomains) {

  public HypervisorSettings {
    enabled = enabled == null || enabled;
    uri = uri == null ? "qemu:///system" : uri.strip();
    interval = interval == null ? Duration.ofSeconds(15) : interval;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    maxDomains = maxDomains == null ? 500 : maxDomains;
  }
}
