package org.debvisor.controller.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ("development" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"debvisor " + current()};
  }

  /** This build's version, e.g. "0.1.0-SNAPSHOT" ("development" when run from classes). */
  static String current() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
