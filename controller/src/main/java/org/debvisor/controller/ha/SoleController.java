package org.debvisor.controller.ha;

import java.time.Instant;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.MemberRepository;
import org.debvisor.controller.inventory.MemberRow;
import org.debvisor.controller.inventory.WriteFence;

/**
 * The only controller of its database (SQLite, whose state lock admits one process): always the
 * leader, nothing to fence.
 */
public final class SoleController implements Leadership {

  private final Database db;
  private final String memberId;
  private String address;

  public SoleController(Database db, String memberId) {
    this.db = db;
    this.memberId = memberId;
  }

  /** Records this controller as the database's member and leads. */
  @Override
  public void start(String address, LeaderDuties duties) {
    this.address = address;
    db.write(
        c -> {
          Instant now = db.dialect().now(c);
          new MemberRepository().upsert(c, new MemberRow(memberId, address, now, now));
          return null;
        });
    duties.takeOver().run();
  }

  @Override
  public boolean isLeader() {
    return true;
  }

  @Override
  public WriteFence fence() {
    return WriteFence.NONE;
  }

  @Override
  public String memberId() {
    return memberId;
  }

  @Override
  public void close() {
    // Nothing held beyond the state lock, which the controller releases.
  }
}
