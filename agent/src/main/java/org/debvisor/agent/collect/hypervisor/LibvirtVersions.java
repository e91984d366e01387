package org.debvisor.agent.collect.hypervisor;

/**
 * Turns libvirt's packed version numbers (major * 1,000,000 + minor * 1,000 + release) into text.
 */
final class LibvirtVersions {

  private LibvirtVersions() {}

  static String format(long packed) {
    long major = packed / 1_000_000;
    long minor = (packed / 1_000) % 1_000;
    long release = packed % 1_000;
    return major + "." + minor + "." + release;
  }
}
