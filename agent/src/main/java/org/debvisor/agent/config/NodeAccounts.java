package org.debvisor.agent.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import org.debvisor.agentapi.bundle.AccountLookup;

/** This node's users and groups, as the file system resolves owner and group names. */
public final class NodeAccounts implements AccountLookup {

  private final UserPrincipalLookupService lookup =
      FileSystems.getDefault().getUserPrincipalLookupService();

  @Override
  public boolean exists(Kind kind, String name) throws IOException {
    try {
      if (kind == Kind.GROUP) {
        lookup.lookupPrincipalByGroupName(name);
      } else {
        lookup.lookupPrincipalByName(name);
      }
      return true;
    } catch (UserPrincipalNotFoundException e) {
      return false;
    }
  }
}
