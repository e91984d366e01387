package org.debvisor.controller.cli;

/** {@code -o table|json}. */
public enum OutputFormat {
  table,
  json
}
