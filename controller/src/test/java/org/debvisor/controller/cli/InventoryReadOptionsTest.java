package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which inventory {@code audit verify} and {@code controllers list} read, and their refusals. */
class InventoryReadOptionsTest {

  @TempDir Path state;

  private InventoryReadOptions options(String databaseUrl) {
    InventoryReadOptions options = new InventoryReadOptions();
    options.stateDir = state;
    options.databaseUrl = databaseUrl;
    return options;
  }

  @Test
  void aMissingSqliteFileIsRefusedByNameAndNothingIsCreated() {
    assertThatThrownBy(() -> options(null).locate(Map.of()))
        .isInstanceOfSatisfying(
            InventoryReadOptions.Refused.class,
            e -> assertThat(e.exitCode()).isEqualTo(DebvisorCli.EXIT_FAILURE))
        .hasMessageContaining(state.resolve("controller.db").toString())
        .hasMessageContaining("--state-dir or --database-url");
    assertThat(state).isEmptyDirectory();
  }

  @Test
  void aMalformedUrlIsInvalidArgumentsAndKeepsItsPasswordOut() {
    assertThatThrownBy(() -> options("mysql://u:s3cret@db/x").locate(Map.of()))
        .isInstanceOfSatisfying(
            InventoryReadOptions.Refused.class,
            e -> assertThat(e.exitCode()).isEqualTo(DebvisorCli.EXIT_INVALID))
        .hasMessageStartingWith("--database-url")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void theStateDirectorysFileOrTheEnvironmentsDatabase() throws Exception {
    Files.writeString(state.resolve("controller.db"), "");

    InventoryReadOptions.Location sqlite = options(null).locate(Map.of());
    InventoryReadOptions.Location postgres =
        options(null)
            .locate(
                Map.of(
                    DatabaseUrlOption.URL_ENV, "postgresql://debvisor@db.example:5433/inventory",
                    DatabaseUrlOption.PASSWORD_ENV, "s3cret"));

    assertThat(sqlite.postgres()).isEmpty();
    assertThat(sqlite.where()).isEqualTo(state.resolve("controller.db").toString());
    assertThat(postgres.postgres())
        .get()
        .extracting(org.debvisor.controller.inventory.PostgresUrl::password)
        .isEqualTo("s3cret");
    assertThat(postgres.where()).contains("db.example:5433").doesNotContain("s3cret");
  }
}
