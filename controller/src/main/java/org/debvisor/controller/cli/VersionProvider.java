package org.debvisor.controller.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ("development" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"debvisor " + (version == null ? "development" : version)};
  }
}
