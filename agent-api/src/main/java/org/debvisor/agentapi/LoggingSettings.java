package org.debvisor.agentapi;

/**
 * Log output.
 *
 * @param format {@code json} (one object per line, for journald and log shippers) or {@code text}
 * @param level root level: TRACE, DEBUG, INFO, WARN or ERROR
 */
public record LoggingSettings(String format, String level) {
  public LoggingSettings {
    format = format == null ? "json" : format.strip();
    level = level == null ? "INFO" : level.strip().toUpperCase(java.util.Locale.ROOT);
  }
}
