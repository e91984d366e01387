package org.debvisor.controller.rest;

import java.util.List;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RevokeNodeResponse;

/**
 * The fleet operations the API exposes, served by the same code as the gRPC API (the server package
 * implements this), so both answer the same. Failures are the gRPC statuses that code throws;
 * {@link Problems} turns them into problem details.
 */
public interface FleetApi {

  /** Nodes matching the selector (the syntax of {@code debvisor nodes list --selector}). */
  ListNodesResponse listNodes(String selector);

  /** One node by id or hostname. */
  NodeRecord node(String name);

  RevokeNodeResponse revoke(String node, String reason, Actor actor);

  /** A new bootstrap token, shown once (as `debvisor token create`). */
  CreateBootstrapTokenResponse createToken(CreateBootstrapTokenRequest request, Actor actor);

  /** The newest bootstrap tokens, newest first (hashes of secrets only). */
  List<TokenRow> tokens();

  /** Ends an unused token now; the token as it is afterwards. */
  TokenRow revokeToken(String id, Actor actor);
}
