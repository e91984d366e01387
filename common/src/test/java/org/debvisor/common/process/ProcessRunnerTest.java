package org.debvisor.common.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

  private final ProcessRunner runner = new ProcessRunner();

  @Test
  void capturesOutputOfBothStreamsAndTheExitCode() throws Exception {
    Outcome outcome =
        runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.output()).contains("out", "err");
    assertThat(outcome.describe(Duration.ofSeconds(10))).startsWith("exit 3: ");
  }

  @Test
  void runsInTheDirectoryWithTheEnvironmentAndPassesLinesOn(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("marker"), "");
    List<String> lines = new CopyOnWriteArrayList<>();
    Command command =
        Command.of(List.of("sh", "-c", "ls; echo \"$GREETING\""), Duration.ofSeconds(10))
            .in(dir)
            .withEnvironment(Map.of("GREETING", "hello"));

    Outcome outcome = runner.run(command, lines::add);

    assertThat(outcome.succeeded()).isTrue();
    assertThat(lines).containsExactly("marker", "hello");
    assertThat(outcome.lastLines()).containsExactly("marker", "hello");
  }

  @Test
  void anOverrunningProgramAndItsChildrenAreKilled() throws Exception {
    Command command =
        Command.of(List.of("sh", "-c", "echo started; sleep 30 & wait"), Duration.ofMillis(500));

    long started = System.nanoTime();
    Outcome outcome = runner.run(command);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(outcome.timedOut()).isTrue();
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.describe(command.timeout())).isEqualTo("no result within 0 s");
    assertThat(outcome.problem(command))
        .isEqualTo("sh did not finish within 0 s; last output:\n  started");
  }

  @Test
  void anUnstartableProgramIsExit127() throws Exception {
    Command command = Command.of(List.of("/nonexistent/tool", "x"), Duration.ofSeconds(5));

    Outcome outcome = runner.run(command);

    assertThat(outcome.exitCode()).isEqualTo(127);
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.output()).startsWith("cannot run /nonexistent/tool: ");
    assertThat(outcome.problem(command))
        .startsWith("cannot run /nonexistent/tool (is it installed?): ");
  }

  @Test
  void keepsTheLastLinesAndTheBeginningOfLongOutput() throws Exception {
    Command command = Command.of(List.of("seq", "1", "5000"), Duration.ofSeconds(10));

    Outcome outcome = runner.run(command);

    assertThat(outcome.lastLines()).hasSize(25).endsWith("5000").startsWith("4976");
    assertThat(outcome.output()).startsWith("1\n2\n").hasSize(4096);
    assertThat(
            Outcome.unstartable("x", "gone")
                .problem(Command.of(List.of("x"), Duration.ofMinutes(10))))
        .isEqualTo("cannot run x (is it installed?): gone");
    assertThat(
            new Outcome(2, false, "", "", List.of())
                .problem(Command.of(List.of("zstd"), Duration.ofMinutes(10))))
        .isEqualTo("zstd failed (exit 2); last output: (none)");
  }
}
