package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.mirror.IsoBuildException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ToolRunner#runInto}: what the controller's ISO builds use to hash the ISO while xorriso
 * writes it. Real processes; the output is hashed exactly as written, across many reads.
 */
class ToolRunnerTest {

  @TempDir Path dir;

  @Test
  void standardOutputIsWrittenAndHashedAsItComes() throws Exception {
    Path target = dir.resolve("out.bin");

    String sha =
        new ToolRunner(1767225600L)
            .runInto(
                List.of("sh", "-c", "echo $SOURCE_DATE_EPOCH; echo progress >&2"), dir, target);

    assertThat(Files.readString(target)).isEqualTo("1767225600\n");
    assertThat(sha).isEqualTo(Sha256.hex("1767225600\n"));
  }

  @Test
  void anOutputOfManyBuffersIsTheFilesBytesAndHash() throws Exception {
    Path target = dir.resolve("big.bin");

    String sha = new ToolRunner(0).runInto(List.of("sh", "-c", "seq 1 1000000"), dir, target);

    assertThat(Files.size(target)).isEqualTo(6_888_896L);
    assertThat(sha).isEqualTo(Sha256.hex(target));
  }

  @Test
  void aFailureCarriesTheExitCodeTheLastMessagesAndTheCommand() {
    assertThatThrownBy(
            () ->
                new ToolRunner(0)
                    .runInto(
                        List.of("sh", "-c", "echo partial; echo 'no space left' >&2; exit 3"),
                        dir,
                        dir.resolve("out.bin")))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageStartingWith("sh failed (exit 3); last output:\n  no space left\n")
        .hasMessageContaining("command: sh -c echo partial;");
  }

  @Test
  void aMissingProgramIsNamed() {
    assertThatThrownBy(
            () ->
                new ToolRunner(0).runInto(List.of("no-such-xorriso"), dir, dir.resolve("out.bin")))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageStartingWith("cannot run no-such-xorriso (is it installed?)");
  }
}
