package org.debvisor.controller.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Walks the audit chain from the first entry and reports the first one that does not fit. */
public final class AuditVerifier {

  private static final int PAGE = 1_000;

  /** The outcome: how many entries were checked, and the first broken one if any. */
  public record Result(long checked, long brokenSeq, String problem) {

    /** True when every entry links to its predecessor and hashes to its stored hash. */
    public boolean intact() {
      return brokenSeq == 0;
    }
  }

  /** Verifies the whole chain, reading it in pages. */
  public Result verify(Connection c) throws SQLException {
    long expectedSeq = 1;
    String prev = AuditChain.GENESIS;
    long checked = 0;
    while (true) {
      List<AuditRecord> page = AuditLog.page(c, expectedSeq - 1, PAGE);
      if (page.isEmpty()) {
        return new Result(checked, 0, "");
      }
      for (AuditRecord r : page) {
        if (r.seq() != expectedSeq) {
          return new Result(
              checked,
              expectedSeq,
              "entry " + expectedSeq + " is missing (next is " + r.seq() + ")");
        }
        if (!r.prevHash().equals(prev)) {
          return new Result(
              checked,
              r.seq(),
              "entry "
                  + r.seq()
                  + " does not link to entry "
                  + (r.seq() - 1)
                  + " (prev_hash differs)");
        }
        String actual = AuditChain.hash(r.prevHash(), r.seq(), r.at(), r.entry());
        if (!actual.equals(r.hash())) {
          return new Result(
              checked,
              r.seq(),
              "entry " + r.seq() + " was changed after it was written (its hash does not match)");
        }
        prev = r.hash();
        expectedSeq++;
        checked++;
      }
    }
  }
}
