package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.controller.ha.LeaderLease;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.LeaseRow;
import org.debvisor.controller.inventory.MemberRepository;
import org.debvisor.controller.inventory.MemberRow;
import org.debvisor.controller.inventory.SqlDialect;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code debvisor controllers list}: the members of one database, which one leads and how old its
 * lease is, read straight from the database (it answers while the leader is down).
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the controllers that use the PostgreSQL database of --database-url (or the SQLite "
          + "database in <state-dir>, which has one controller), which one leads and how long ago its "
          + "lease was renewed. Read-only; the controllers keep running."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "1:the database cannot be read", "2:invalid arguments"})
final class ControllersListCommand implements Callable<Integer> {

  // Members not seen for this long have stopped (they refresh every third of a lease period).
  private static final Duration GONE_AFTER = Duration.ofMinutes(1);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin InventoryReadOptions database;

  private final Map<String, String> env;

  ControllersListCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    InventoryReadOptions.Location inventory;
    try {
      inventory = database.locate(env);
    } catch (InventoryReadOptions.Refused e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    }
    String where = inventory.where();
    SqlDialect dialect =
        inventory.postgres().isPresent() ? SqlDialect.POSTGRESQL : SqlDialect.SQLITE;
    Instant now;
    List<MemberRow> members;
    Optional<LeaseRow> lease;
    try (Connection c = inventory.openReadOnly()) {
      now = dialect.now(c);
      members =
          new MemberRepository()
              .seenSince(
                  c, inventory.postgres().isPresent() ? now.minus(GONE_AFTER) : Instant.EPOCH);
      lease = new LeaseRepository().find(c, LeaderLease.NAME);
    } catch (SQLException e) {
      err.println("error: cannot read the controllers in " + where + ": " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
    out.printf("%-32s %-28s %-7s %-10s %s%n", "CONTROLLER", "ADDRESS", "LEADER", "SEEN", "LEASE");
    for (MemberRow m : members) {
      String leader;
      String leaseText;
      if (inventory.postgres().isEmpty()) {
        leader = "yes";
        leaseText = "none needed (SQLite: one controller)";
      } else if (lease.isPresent()
          && lease.get().holder().equals(m.id())
          && lease.get().heldAt(now)) {
        LeaseRow l = lease.get();
        leader = "yes";
        leaseText =
            "renewed "
                + ago(now, l.renewedAt())
                + " ago, held since "
                + ago(now, l.acquiredAt())
                + ", token "
                + l.token();
      } else {
        leader = "no";
        leaseText = "";
      }
      out.printf(
          "%-32s %-28s %-7s %-10s %s%n",
          m.id(), m.address(), leader, ago(now, m.seenAt()) + " ago", leaseText);
    }
    if (inventory.postgres().isPresent() && lease.map(l -> !l.heldAt(now)).orElse(true)) {
      out.println(
          "no leader: "
              + lease
                  .map(
                      l ->
                          "the lease of "
                              + l.holder()
                              + " ended "
                              + ago(now, l.expiresAt())
                              + " ago")
                  .orElse("no controller took the lease yet")
              + "; a running controller takes it within its lease period");
    }
    out.println(members.size() + " controller(s) in " + where);
    return 0;
  }

  private static String ago(Instant now, Instant then) {
    long ms = Math.max(0, Duration.between(then, now).toMillis());
    if (ms < 10_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    if (ms < 3_600_000) {
      return (ms / 1000) + "s";
    }
    return (ms / 3_600_000) + "h" + (ms % 3_600_000) / 60_000 + "m";
  }
}
