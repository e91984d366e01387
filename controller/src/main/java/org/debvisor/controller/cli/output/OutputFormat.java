package org.debvisor.controller.cli.output;

/** {@code -o table|json}. */
public enum OutputFormat {
  table,
  json
}
