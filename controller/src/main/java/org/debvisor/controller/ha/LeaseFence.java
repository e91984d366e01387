package org.debvisor.controller.ha;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.WriteFence;

/**
 * The fencing check of the leader lease: a write goes ahead only while the token this controller
 * got at its acquisition is still the lease's current one (0: not leading, nothing goes ahead).
 */
public final class LeaseFence implements WriteFence {

  private final String memberId;
  private final LongSupplier token;
  private final LeaseRepository leases = new LeaseRepository();

  public LeaseFence(String memberId, LongSupplier token) {
    this.memberId = memberId;
    this.token = token;
  }

  @Override
  public void check(Connection c) throws SQLException {
    long t = token.getAsLong();
    if (t == 0 || !leases.fenceHolds(c, LeaderLease.NAME, t)) {
      throw new InventoryException(
          "controller "
              + memberId
              + " does not hold the leader lease"
              + (t == 0 ? "" : " (its fencing token " + t + " is stale)")
              + "; the write was refused, the leader does this work",
          null,
          false);
    }
  }
}
