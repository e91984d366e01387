package org.debvisor.sim;

import java.io.IOException;

/**
 * Hands out one single-use bootstrap token per agent, e.g. by calling the controller's
 * CreateBootstrapToken with the operator's credential.
 */
@FunctionalInterface
public interface TokenSource {

  /**
   * @param hostname the agent the token is for
   * @throws IOException when no token can be had (the message says why)
   */
  String tokenFor(String hostname) throws IOException;
}
