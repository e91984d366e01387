package org.debvisor.controller.inventory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database to this controller's schema with Flyway, and refuses one that a newer
 * controller already migrated further (Flyway alone would ignore such "future" migrations and let
 * an old controller write to tables it does not know).
 */
final class Migrations {

  private Migrations() {}

  static void apply(DataSource dataSource, SqlDialect dialect, String location) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(dialect.migrationLocations().toArray(String[]::new))
            .failOnMissingLocations(true)
            .load();
    refuseNewerSchema(flyway, location);
    flyway.migrate();
  }

  private static void refuseNewerSchema(Flyway flyway, String location) {
    MigrationInfo[] all = flyway.info().all();
    Optional<MigrationInfo> future =
        Arrays.stream(all)
            .filter(
                m ->
                    m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED)
            .max(Comparator.comparing(MigrationInfo::getVersion));
    if (future.isEmpty()) {
      return;
    }
    String known =
        Arrays.stream(all)
            .filter(m -> m.getState().isResolved() && m.getVersion() != null)
            .map(MigrationInfo::getVersion)
            .max(Comparator.naturalOrder())
            .map(MigrationVersion::toString)
            .orElse("none");
    throw new InventoryException(
        "the database "
            + location
            + " has schema version "
            + future.get().getVersion()
            + " ("
            + future.get().getDescription()
            + ") from a newer controller; this controller knows versions up to "
            + known
            + ". Run the newer controller (or restore a backup taken before that upgrade);"
            + " nothing was changed",
        null);
  }
}
