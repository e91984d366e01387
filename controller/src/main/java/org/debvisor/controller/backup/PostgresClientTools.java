package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.debvisor.controller.inventory.PostgresUrl;

/**
 * Runs Debian's {@code pg_dump} and {@code pg_restore} (package postgresql-client) against an
 * inventory. The password goes to them in PGPASSWORD, never on their command line (which {@code ps}
 * shows to every user); their error output is passed on with the password removed.
 */
final class PostgresClientTools {

  private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  private static final long TIMEOUT_S = 600;

  private final Path dumpProgram;
  private final Path restoreProgram;

  private PostgresClientTools(Path dumpProgram, Path restoreProgram) {
    this.dumpProgram = dumpProgram;
    this.restoreProgram = restoreProgram;
  }

  /**
   * The newest {@code pg_dump}/{@code pg_restore} under /usr/lib/postgresql/N/bin (a pg_dump must
   * not be older than the server), else the ones on PATH.
   */
  static PostgresClientTools find() throws BackupException {
    Optional<Path> bin = newestDebianBin();
    if (bin.isPresent()) {
      return new PostgresClientTools(bin.get().resolve("pg_dump"), bin.get().resolve("pg_restore"));
    }
    Optional<Path> dump = onPath("pg_dump");
    Optional<Path> restore = onPath("pg_restore");
    if (dump.isEmpty() || restore.isEmpty()) {
      throw BackupException.refused(
          "pg_dump and pg_restore were not found (neither under "
              + DEBIAN_VERSIONS
              + "/*/bin nor on PATH); install Debian's postgresql-client");
    }
    return new PostgresClientTools(dump.get(), restore.get());
  }

  private static Optional<Path> newestDebianBin() {
    if (!Files.isDirectory(DEBIAN_VERSIONS)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_dump")))
          .filter(b -> Files.isExecutable(b.resolve("pg_restore")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * A consistent dump in custom format: pg_dump reads everything in one repeatable-read snapshot,
   * so the copy is one committed state while the controller keeps writing.
   */
  void dump(PostgresUrl url, Path file) throws IOException {
    run(
        url,
        dumpProgram,
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        "--file=" + file.toAbsolutePath());
  }

  /**
   * Loads {@code file} in one transaction: a failure part-way leaves the target as it was. With
   * {@code replace}, the dump's objects that exist in the target are dropped first (same
   * transaction).
   */
  void restore(PostgresUrl url, Path file, boolean replace) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"));
    if (replace) {
      args.addAll(List.of("--clean", "--if-exists"));
    }
    args.add(file.toAbsolutePath().toString());
    run(url, restoreProgram, args.toArray(String[]::new));
  }

  /**
   * A prefix that makes the tool receive SIGKILL when the thread that started it dies (util-linux
   * setpriv, prctl PR_SET_PDEATHSIG). Without it a killed backup or restore would leave pg_dump or
   * pg_restore running on: a pg_restore would then commit a load no restore step follows. The
   * starting thread waits for the tool, so only the death of this process fires the signal.
   */
  private static List<String> diesWithThisProcess() {
    return Files.isExecutable(SETPRIV)
        ? List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--")
        : List.of();
  }

  private static void run(PostgresUrl url, Path program, String... args) throws IOException {
    List<String> command = new ArrayList<>(diesWithThisProcess());
    command.add(program.toString());
    command.addAll(
        List.of(
            "--host=" + url.host(),
            "--port=" + url.port(),
            "--username=" + url.user(),
            "--dbname=" + url.database(),
            "--no-password"));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("debvisor-pg", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().remove("PGPASSWORD");
      builder.environment().remove("PGPASSFILE");
      if (!url.password().isEmpty()) {
        builder.environment().put("PGPASSWORD", url.password());
      }
      builder.environment().put("PGCONNECT_TIMEOUT", "5");
      Process p = builder.start();
      try {
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(program.getFileName() + " did not finish in " + TIMEOUT_S + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IOException("interrupted while running " + program.getFileName(), e);
      }
      if (p.exitValue() != 0) {
        String said = Files.readString(output, StandardCharsets.UTF_8).strip();
        if (!url.password().isEmpty()) {
          said = said.replace(url.password(), "***");
        }
        throw new IOException(
            program.getFileName()
                + " on "
                + url.redacted()
                + " exited "
                + p.exitValue()
                + ": "
                + said);
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
