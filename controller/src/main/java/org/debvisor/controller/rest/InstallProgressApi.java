package org.debvisor.controller.rest;

import org.debvisor.proto.InstallingNode;

/**
 * Install progress as the API takes it: the installer's report, authenticated by the machine's
 * bootstrap token (the server package implements this). Failures are gRPC statuses, which {@link
 * Problems} turns into problem details.
 */
public interface InstallProgressApi {

  /** One report from an installer; fields the installer left out are empty strings. */
  record Report(String phase, String message, String hostname, String arch) {}

  /**
   * Checks the token and the report and stores it.
   *
   * @param token the bootstrap token exactly as sent after {@code Bearer}
   * @param source the address the report came from
   * @return the install as stored after the report
   */
  InstallingNode report(String token, Report report, String source);
}
