package org.debvisor.agentapi;

import java.time.Duration;

/**
 * How the agent reads the operating system.
 *
 * @param interval how often to read
 * @param timeout how long one read may take
 * @param filesystemWarnPercent a filesystem this full makes the system WARN
 * @param filesystemErrorPercent a filesystem this full makes the system ERROR
 */
public record SystemSettings(
    Duration interval,
    Duration timeout,
    Integer filesystemWarnPercent,
    Integer filesystemErrorPercent) {

  public SystemSettings {
    interval = interval == null ? Duration.ofSeconds(10) : interval;
    timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    filesystemWarnPercent = filesystemWarnPercent == null ? 85 : filesystemWarnPercent;
    filesystemErrorPercent = filesystemErrorPercent == null ? 95 : filesystemErrorPercent;
  }
}
