package org.debvisor.controller.ha;

import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.OperatorTokenRepository;
import org.debvisor.controller.pki.OperatorCredential;
import org.debvisor.controller.pki.OperatorTokens;

/**
 * Operator tokens shared through the database: this controller's own (from its state directory) and
 * those of every other controller on the same database, which each stored the SHA-256 of its token
 * at start. So a CLI can call whichever controller answers with the token it has.
 */
public final class SharedOperatorTokens implements OperatorTokens {

  private final Database db;
  private final OperatorCredential own;
  private final OperatorTokenRepository tokens = new OperatorTokenRepository();

  private SharedOperatorTokens(Database db, OperatorCredential own) {
    this.db = db;
    this.own = own;
  }

  /** Stores the hash of this controller's token (replacing an earlier one of it) and shares. */
  public static SharedOperatorTokens publish(Database db, String memberId, OperatorCredential own) {
    OperatorTokenRepository tokens = new OperatorTokenRepository();
    db.write(
        c -> {
          tokens.store(c, memberId, own.sha256(), db.dialect().now(c));
          return null;
        });
    return new SharedOperatorTokens(db, own);
  }

  /**
   * This controller's own token is checked without the database (constant time); another is looked
   * up by its hash, a digest of a random secret, so the lookup's timing tells nothing useful.
   *
   * @throws org.debvisor.controller.inventory.InventoryException when the database is out of reach
   */
  @Override
  public boolean accepts(String presented) {
    if (presented == null || presented.isBlank()) {
      return false;
    }
    if (own.accepts(presented)) {
      return true;
    }
    String hash = OperatorCredential.sha256Of(presented);
    return db.read(c -> tokens.known(c, hash));
  }
}
