package org.debvisor.controller.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.debvisor.controller.inventory.InventoryException;

/**
 * The gRPC status for a failed inventory call: UNAVAILABLE (retry) when the database is busy or out
 * of reach, INTERNAL when it is broken. Clients and agents retry UNAVAILABLE with backoff, so a
 * restarted database server costs calls, not state.
 */
final class InventoryStatus {

  private InventoryStatus() {}

  static StatusRuntimeException of(InventoryException e) {
    return (e.isTransient()
            ? Status.UNAVAILABLE.withDescription(e.unavailableMessage())
            : Status.INTERNAL.withDescription(
                "the inventory database failed; see the controller log"))
        .asRuntimeException();
  }
}
