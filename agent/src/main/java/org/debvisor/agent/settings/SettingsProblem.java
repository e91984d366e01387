package org.debvisor.agent.settings;

/**
 * One thing wrong in the configuration file.
 *
 * @param key dotted path of the key, e.g. {@code collectors.ceph.interval}
 * @param rule what is wrong and what is expected
 */
public record SettingsProblem(String key, String rule) {
  @Override
  public String toString() {
    return key + ": " + rule;
  }
}
