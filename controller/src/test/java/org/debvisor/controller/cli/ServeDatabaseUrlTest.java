package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.debvisor.controller.state.StateLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code controller serve --database-url}: what an operator sees when it is wrong. */
class ServeDatabaseUrlTest {

  @TempDir Path state;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int serve(Map<String, String> env, String... args) {
    CommandLine cli = DebvisorCli.create(Path.of("debvisor.jar"), env);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all =
        Stream.concat(
                Stream.of(
                    "controller",
                    "serve",
                    "--state-dir",
                    state.toString(),
                    "--listen",
                    "127.0.0.1:0"),
                Stream.of(args))
            .toArray(String[]::new);
    return cli.execute(all);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private long filesInState() throws Exception {
    try (Stream<Path> files = Files.walk(state)) {
      // The state lock (held by every start, released on failure) is not state.
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals(StateLock.FILE_NAME))
          .count();
    }
  }

  @Test
  void anUnreachableDatabaseStopsTheStartBeforeAnyKeyIsMade() throws Exception {
    int port = freePort();

    int code =
        serve(Map.of(), "--database-url", "postgresql://ctl:hunter2@127.0.0.1:" + port + "/fleet");

    assertThat(code).isEqualTo(DebvisorCli.EXIT_FAILURE);
    assertThat(err.toString())
        .contains(
            "cannot connect to the inventory database postgresql://ctl@127.0.0.1:"
                + port
                + "/fleet")
        .doesNotContain("hunter2");
    assertThat(filesInState()).as("no CA, token or SQLite file was made").isZero();
  }

  @Test
  void aPasswordFromTheEnvironmentIsUsedAndNeverShown() throws Exception {
    int port = freePort();

    int code =
        serve(
            Map.of(
                DatabaseUrlOption.URL_ENV,
                "postgresql://ctl@127.0.0.1:" + port + "/fleet",
                DatabaseUrlOption.PASSWORD_ENV,
                "hunter2"));

    assertThat(code).isEqualTo(DebvisorCli.EXIT_FAILURE);
    assertThat(err.toString())
        .contains("postgresql://ctl@127.0.0.1:" + port + "/fleet")
        .doesNotContain("hunter2");
    assertThat(
            DatabaseUrlOption.resolve(
                    null,
                    Map.of(
                        DatabaseUrlOption.URL_ENV, "postgresql://ctl@db/fleet",
                        DatabaseUrlOption.PASSWORD_ENV, "hunter2"))
                .orElseThrow()
                .password())
        .isEqualTo("hunter2");
  }

  @Test
  void aMalformedUrlIsAnInvalidArgument() throws Exception {
    int code = serve(Map.of(), "--database-url", "mysql://ctl:hunter2@db/fleet");

    assertThat(code).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(err.toString())
        .contains("--database-url: database URL must start with postgresql://")
        .doesNotContain("hunter2");
    assertThat(filesInState()).isZero();
  }
}
