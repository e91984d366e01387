package org.debvisor.controller.ha;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.SqlDialect;
import org.debvisor.controller.inventory.WriteFence;

/**
 * The fencing check of the leader lease: a write goes ahead only while the token this controller
 * got at its acquisition is still the lease's current one (0: not leading, nothing goes ahead). The
 * check locks the lease row until the write ends; a write cut off from the database after it is
 * ended by the server once idle for a lease period, so that lock cannot keep another controller
 * from taking over.
 */
public final class LeaseFence implements WriteFence {

  private final String memberId;
  private final LongSupplier token;
  private final SqlDialect dialect;
  private final Duration idleLimit;
  private final LeaseRepository leases = new LeaseRepository();

  /**
   * @param idleLimit how long the write's transaction may wait for this controller's next statement
   *     before the server ends it (the lease period)
   */
  public LeaseFence(String memberId, LongSupplier token, SqlDialect dialect, Duration idleLimit) {
    this.memberId = memberId;
    this.token = token;
    this.dialect = dialect;
    this.idleLimit = idleLimit;
  }

  @Override
  public void check(Connection c) throws SQLException {
    long t = token.getAsLong();
    if (t != 0) {
      dialect.boundIdleInTransaction(c, idleLimit);
    }
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
