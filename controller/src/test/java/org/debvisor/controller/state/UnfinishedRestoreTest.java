package org.debvisor.controller.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore journal on disk and what a controller reads from it (and from a restore's staging).
 */
class UnfinishedRestoreTest {

  @TempDir Path dir;

  private final RestoreJournal journal =
      new RestoreJournal(
          "/backup/pg-20261202",
          "ab".repeat(32),
          "postgresql://debvisor@db.example.org:5432/inv",
          "tables= nodes=0",
          RestoreJournal.LOADING);

  @Test
  void journalRoundTripsPrivatelyAndItsRemovalEndsTheRefusal() throws IOException {
    Path state = Files.createDirectory(dir.resolve("state"));
    journal.write(state);

    assertThat(RestoreJournal.read(state)).contains(journal);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve(RestoreJournal.FILE_NAME))))
        .isEqualTo("rw-------");
    journal.loaded().write(state);
    assertThat(RestoreJournal.read(state)).map(RestoreJournal::phase).contains("loaded");
    assertThat(journal.isOf("ab".repeat(32), journal.target())).isTrue();
    assertThat(journal.isOf("cd".repeat(32), journal.target())).isFalse();
    assertThat(journal.isOf("ab".repeat(32), "postgresql://debvisor@other:5432/inv")).isFalse();

    assertThatThrownBy(() -> UnfinishedRestore.refuse(state))
        .hasMessageContaining("not starting")
        .hasMessageContaining("re-run `debvisor restore --path /backup/pg-20261202`")
        .hasMessageContaining("postgresql://debvisor@db.example.org:5432/inv");
    assertThat(Files.list(state).map(p -> p.getFileName().toString()))
        .containsExactly(RestoreJournal.FILE_NAME);

    RestoreJournal.remove(state);
    assertThat(RestoreJournal.read(state)).isEmpty();
    assertThat(UnfinishedRestore.in(state)).isEmpty();
  }

  @Test
  void damagedJournalIsNamedAndStillRefusesToStart() throws IOException {
    Path state = Files.createDirectory(dir.resolve("state"));
    Files.writeString(state.resolve(RestoreJournal.FILE_NAME), "backup=/b\nphase=loading\n");

    assertThatThrownBy(() -> UnfinishedRestore.refuse(state))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(state.resolve(RestoreJournal.FILE_NAME) + " is damaged")
        .hasMessageContaining("no manifest-sha256");
    assertThat(Files.readString(state.resolve(RestoreJournal.FILE_NAME)))
        .isEqualTo("backup=/b\nphase=loading\n");
  }

  @Test
  void stateRestoreStoppedBetweenItsRenamesRefusesUntilTheStateIsBack() throws IOException {
    Path state = dir.resolve("state");
    Files.createDirectories(UnfinishedRestore.stagingFor(state));

    assertThat(UnfinishedRestore.in(state))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("was interrupted")
                    .contains(UnfinishedRestore.stagingFor(state).toString()));
    assertThat(Files.exists(state)).isFalse();

    // A state directory with state in it is used as it is: a restore killed while it assembled.
    Files.createDirectories(state);
    Files.writeString(state.resolve("controller.db"), "");
    assertThat(UnfinishedRestore.in(state)).isEmpty();
  }
}
