package org.debvisor.controller.ha;

import org.debvisor.controller.inventory.WriteFence;

/** Whether this controller does the work that must run once, and the fence its writes check. */
public interface Leadership extends AutoCloseable {

  /**
   * Joins the members, showing {@code address} (where this controller serves), and starts
   * contending for the lead; {@code duties} follow the outcome.
   */
  void start(String address, LeaderDuties duties);

  /** True while this controller leads. */
  boolean isLeader();

  /** Checked by every coordinated write; throws once the lease was lost. */
  WriteFence fence();

  /** This controller's id among the members. */
  String memberId();

  /** Stops contending; a leader steps down and hands the lease back at once. */
  @Override
  void close();
}
