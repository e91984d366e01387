package org.debvisor.controller.rest;

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
}
