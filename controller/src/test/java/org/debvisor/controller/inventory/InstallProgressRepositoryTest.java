package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Install progress rows on both engines: round trip, update in place, gone once enrolled. */
@ExtendWith(PostgresExtension.class)
class InstallProgressRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");

  @TempDir Path dir;

  private final TokenRepository tokens = new TokenRepository();
  private final InstallProgressRepository installs = new InstallProgressRepository();

  private static TokenRow token(String id) {
    return new TokenRow(
        id, "ab".repeat(32), T0, T0.plusSeconds(900), "", "ceph", "lab", "op", null, null, "");
  }

  private static InstallProgressRow row(String token, String phase, String message, int reports) {
    return new InstallProgressRow(
        token,
        "ceph-1",
        "arm64",
        "lab",
        "ceph",
        phase,
        message,
        "192.0.2.7",
        T0,
        T0.plusSeconds(reports),
        reports);
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void rowsRoundTripUpdateInPlaceAndLeaveTheListAtEnrolment(
      SqlDialect engine, PostgresServer server) throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      db.write(
          c -> {
            tokens.insert(c, token("t1"));
            tokens.insert(c, token("t2"));
            installs.save(c, row("t1", "started", "", 1));
            installs.save(c, row("t2", "started", "", 1));
            installs.save(c, row("t1", "failed", "disk gone ünïcode", 2));
            return null;
          });
      Optional<InstallProgressRow> found = db.read(c -> installs.find(c, "t1"));
      assertThat(found).hasValue(row("t1", "failed", "disk gone ünïcode", 2));
      assertThat(db.<List<InstallProgressRow>>read(installs::notEnrolled))
          .extracting(InstallProgressRow::tokenId)
          .containsExactly("t1", "t2");

      db.write(c -> tokens.consume(c, "t2", T0.plusSeconds(60), "node-2"));

      assertThat(db.<List<InstallProgressRow>>read(installs::notEnrolled))
          .extracting(InstallProgressRow::tokenId)
          .containsExactly("t1");
    }
  }
}
